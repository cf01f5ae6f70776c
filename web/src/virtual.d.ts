declare module 'virtual:sprites' {
  const map: Record<number, string>;
  export default map;
}
