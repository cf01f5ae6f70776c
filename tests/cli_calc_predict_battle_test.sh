#!/usr/bin/env bash
# Integration test of `pdex calc damage`, `pdex battle odds|simulate` and `pdex predict` on the built binary,
# and of the exit codes of every command that reads a user JSON file (configs, gates, thresholds, schemas):
#   tests/cli_calc_predict_battle_test.sh [PDEX]   (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
# Runs from the repository root against a SQLite database in a temporary PDEX_DATA_DIR (the Dex imported, a
# tiny model trained there: 10 rounds on a ~700-row dataset, a few seconds). Values are checked, not only exit
# codes: damage rolls against Pokémon Showdown's (tests/fixtures/damage-cases.json), simulated damage against
# `calc damage`, exact odds against Monte Carlo, mirror symmetry, determinism under a seed. Every bad input must
# exit 2 (bad command line) or 3 (invalid data) with a message naming the option or file and field, never 1,
# a crash or an uncaught exception.
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "cli_calc_predict_battle_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
command -v python3 >/dev/null || { echo "cli_calc_predict_battle_test: python3 missing" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-cli-cpb.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PDEX_DATA_DIR=$work/var
export PDEX_DATABASE_URL=sqlite://$work/var/pdex.sqlite
unset PDEX_DEX_FILE PDEX_TRACK_RUNS
mkdir -p "$PDEX_DATA_DIR"

source tests/cli_lib.sh  # the scripts run from the repository root (cd above)

# A failure that is reported, not a crash: no abort, no uncaught exception, no sanitizer report.
expect_clean() {  # NAME
  if [[ "$rc" -ge 128 || "$err" == *"terminate called"* || "$err" == *"what():"* || "$err" == *"Sanitizer"* ]]; then
    fail "$1: crashed (exit $rc): $err"
  fi
}
# expect_error NAME RC NEEDLE ARGS...: pdex ARGS exits RC, stderr names NEEDLE, no crash.
expect_error() {
  local name=$1 want=$2 needle=$3
  shift 3
  run "$@"
  expect_rc "$name" "$want"
  expect_contains "$name: message names '$needle'" "$err" "$needle"
  expect_clean "$name"
}
# jq-like checks with python: pyjson NAME EXPR (EXPR sees the parsed stdout as `d`; must be truthy).
pyjson() {
  if python3 -c 'import json,sys; d=json.loads(sys.argv[2]); sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" "$out" \
    2>"$work/py.err"; then
    pass "$1"
  else
    fail "$1: not true: $2 on: ${out:0:400} $(cat "$work/py.err")"
  fi
}
# The value of a Python expression over the parsed stdout.
pyval() { python3 -c 'import json,sys; d=json.loads(sys.argv[2]); print(eval(sys.argv[1]))' "$1" "$out"; }

# --- help -------------------------------------------------------------------------------------------
for cmd in "calc" "calc damage" "battle" "battle odds" "battle simulate" "predict"; do
  run $cmd --help
  expect_rc "$cmd --help" 0
  expect_contains "$cmd --help shows usage" "$out" "Usage:"
done
run calc
expect_rc "calc without a subcommand" 2
run battle
expect_rc "battle without a subcommand" 2

# --- a real database and a tiny model ---------------------------------------------------------------
run db init
expect_rc "db init (SQLite in $PDEX_DATA_DIR)" 0
run db import
expect_rc "db import" 0
train_tiny_model default
bundle=$PDEX_DATA_DIR/models/default
[[ -f "$bundle/bundle.json" ]] && pass "bundle written" || fail "no $bundle/bundle.json"

# === calc damage =====================================================================================
# Rolls against Pokémon Showdown's gen7letsgo getDamage (the fixture's authority): cases without stat stages,
# status, screens or a battle-dependent base power, at full HP; explicit stats and levels as the fixture
# gives them; every crit case and an even sample of the rest.
python3 - tests/fixtures/damage-cases.json >"$work/cases.tsv" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
ok = [c for c in cases
      if c["base_power"] is None and c["rolls"] is not None
      and c["attacker"]["atk_stage"] == 0 and c["attacker"]["spa_stage"] == 0
      and not c["attacker"]["burned"] and c["attacker"]["status"] == ""
      and c["defender"]["def_stage"] == 0 and c["defender"]["spd_stage"] == 0
      and not c["defender"]["reflect"] and not c["defender"]["light_screen"]
      and c["defender"]["current_hp"] == c["defender"]["stats"][0]]
crit = [c for c in ok if c["crit"]][:10]
plain = [c for c in ok if not c["crit"]]
chosen = crit + plain[:: max(1, len(plain) // 20)][:20]
for c in chosen:
    a, d = c["attacker"], c["defender"]
    args = ["--attacker", a["species"], "--defender", d["species"], "--move", c["move"],
            "--attacker-level", str(a["level"]), "--defender-level", str(d["level"]),
            "--attacker-stats", ",".join(map(str, a["stats"])), "--defender-stats", ",".join(map(str, d["stats"]))]
    if c["crit"]:
        args.append("--crit")
    print("\t".join([str(c["id"]), json.dumps(c["rolls"])] + args))
PY
ncases=0
mismatches=0
while IFS=$'\t' read -r id rolls args_line; do
  IFS=$'\t' read -r -a args <<<"$args_line"
  run calc damage "${args[@]}" --json
  ncases=$((ncases + 1))
  if [[ "$rc" -ne 0 ]]; then
    fail "calc damage fixture case $id: exit $rc: $err"
    mismatches=$((mismatches + 1))
    continue
  fi
  got=$(pyval 'json.dumps(d["rolls"])')
  if [[ "$got" != "$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])))' "$rolls")" ]]; then
    fail "calc damage fixture case $id (${args[*]}): rolls $got, Showdown $rolls"
    mismatches=$((mismatches + 1))
  fi
done <"$work/cases.tsv"
if [[ "$ncases" -ge 20 && "$mismatches" -eq 0 ]]; then
  pass "calc damage: $ncases fixture cases (with --attacker/--defender-level, --*-stats, --crit) match Showdown's rolls"
else
  fail "calc damage: $mismatches of $ncases fixture cases differ (or too few cases)"
fi

# Default stats (IV 31, AV 0, neutral nature) and the text form. Gyarados (base HP 95) at level 50 has
# (2*95+31)*50/100 + 50 + 10 = 170 HP; at level 100, 331.
run calc damage --attacker pikachu --defender gyarados --move thunderbolt --json
expect_rc "calc damage --json" 0
pyjson "calc: Pikachu and Gyarados at the default level 50" 'd["attacker"]["level"] == 50 and d["defender"]["level"] == 50'
pyjson "calc: Gyarados L50 has 170 HP" 'd["defender"]["stats"]["hp"] == 170'
pyjson "calc: Thunderbolt on Gyarados is x4 with STAB, 16 sorted rolls" \
  'd["effectiveness"] == 4 and d["stab"] and len(d["rolls"]) == 16 and d["rolls"] == sorted(d["rolls"])'
pyjson "calc: min/max damage and percents agree with the rolls" \
  'd["min_damage"] == d["rolls"][0] and d["max_damage"] == d["rolls"][-1] and abs(d["max_percent"] - round(1000 * d["max_damage"] / 170) / 10) < 1e-9'
pyjson "calc: lowest roll is 85 % of the highest (within rounding)" \
  'abs(d["rolls"][0] - int(d["rolls"][-1] * 0.85)) <= 4'
pyjson "calc: hit and crit chances (100/100, 1/24), no crit" \
  'd["hit_chance"] == {"num": 100, "den": 100} and d["crit_chance"] == {"num": 1, "den": 24} and not d["crit"]'
plain_min=$(pyval 'd["min_damage"]')
plain_max=$(pyval 'd["max_damage"]')
run calc damage --attacker pikachu --defender gyarados --move thunderbolt
expect_rc "calc damage (text)" 0
expect_contains "calc text: range" "$out" "$plain_min-$plain_max"
expect_contains "calc text: effectiveness and STAB" "$out" "effectiveness x4, STAB"
expect_contains "calc text: 170 HP" "$out" "170 HP"
run calc damage --attacker pikachu --defender gyarados --move thunderbolt --crit --json
expect_rc "calc damage --crit" 0
pyjson "calc --crit: crit flagged, rolls 1.5x the plain ones (within rounding)" \
  "d['crit'] and abs(d['max_damage'] - 1.5 * $plain_max) <= 3 and d['min_damage'] > $plain_min"
run calc damage --attacker pikachu --defender gyarados --move thunderbolt --level 100 --json
pyjson "calc --level 100: both at 100, Gyarados 331 HP" \
  'd["attacker"]["level"] == 100 and d["defender"]["level"] == 100 and d["defender"]["stats"]["hp"] == 331'
run calc damage --attacker pikachu --defender gyarados --move thunderbolt --level 100 --attacker-level 20 --json
pyjson "calc --attacker-level overrides --level" 'd["attacker"]["level"] == 20 and d["defender"]["level"] == 100'
run calc damage --attacker pikachu --defender gyarados --move thunderbolt --defender-level 7 --json
pyjson "calc --defender-level overrides the default" 'd["attacker"]["level"] == 50 and d["defender"]["level"] == 7'
run calc damage --attacker 25 --defender Gyarados --move 85 --json
pyjson "calc accepts numeric ids and names" \
  "d['attacker']['name'] == 'Pikachu' and d['move']['name'] == 'Thunderbolt' and d['max_damage'] == $plain_max"
# Fixed damage: Seismic Toss deals the user's level; immunity: Ground vs Flying; one-hit KO: the whole HP.
run calc damage --attacker machop --defender chansey --move seismictoss --attacker-level 37 --json
pyjson "calc Seismic Toss deals the level (37) on every roll" 'd["rolls"] == [37] * 16 and d["fixed_damage"]'
run calc damage --attacker charmander --defender omanyte --move ember
expect_contains "calc text: Fire on Rock/Water is x0.25" "$out" "effectiveness x0.25, STAB"
run calc damage --attacker machop --defender gyarados --move seismictoss --attacker-level 37
expect_contains "calc text: fixed damage ignores x0.5" "$out" "effectiveness x0.5 (ignored by the damage), fixed damage"
expect_contains "calc text: fixed damage 37 on every roll" "$out" "rolls: 37 37 37"
run calc damage --attacker dugtrio --defender gyarados --move earthquake
expect_rc "calc immune (text)" 0
expect_contains "calc immune: no effect" "$out" "no effect (immune)"
run calc damage --attacker dugtrio --defender gyarados --move earthquake --json
pyjson "calc immune: rolls 0, effectiveness 0" 'd["immune"] and d["rolls"] == [0] * 16 and d["effectiveness"] == 0'
run calc damage --attacker dugtrio --defender pikachu --move fissure --json
pyjson "calc Fissure: OHKO for the defender's whole HP, hit chance 30/100 at equal levels" \
  'd["ohko"] and d["rolls"] == [d["defender"]["stats"]["hp"]] * 16 and d["hit_chance"]["num"] == 30'
run calc damage --attacker nidoking --defender pikachu --move doublekick
expect_contains "calc multi-hit (text)" "$out" "per hit, 2-2 hits"
run calc damage --attacker nidoking --defender pikachu --move doublekick --json
pyjson "calc multi-hit: hits [2, 2]" 'd["hits"] == [2, 2]'

expect_error "calc unknown attacker" 3 "--attacker: unknown Pokémon 'missingno'" \
  calc damage --attacker missingno --defender gyarados --move tackle
expect_error "calc unknown defender" 3 "--defender: unknown Pokémon" calc damage --attacker pikachu --defender nope --move tackle
expect_error "calc unknown move" 3 "--move: unknown move 'flyingpress'" \
  calc damage --attacker pikachu --defender gyarados --move flyingpress
expect_error "calc status move" 3 "status move" calc damage --attacker pikachu --defender gyarados --move growl
expect_error "calc battle-dependent move" 3 "battle simulate" calc damage --attacker pikachu --defender gyarados --move counter
for opt in --level --attacker-level --defender-level; do
  for bad in 0 101 abc -5 99999999999999999999 ""; do
    expect_error "calc $opt '$bad'" 2 "$opt" calc damage --attacker pikachu --defender gyarados --move tackle "$opt" "$bad"
  done
done
for opt in --attacker-stats --defender-stats; do
  for bad in "1,2,3" "0,1,1,1,1,1" "a,b,c,d,e,f" "1,1,1,1,1,1,1" "1,1,1,1,1," "9999999,1,1,1,1,1" "-1,1,1,1,1,1" ""; do
    expect_error "calc $opt '$bad'" 2 "$opt" calc damage --attacker pikachu --defender gyarados --move tackle "$opt" "$bad"
  done
done
expect_error "calc missing --move" 2 "--move" calc damage --attacker pikachu --defender gyarados
expect_error "calc missing --attacker" 2 "--attacker" calc damage --defender gyarados --move tackle
expect_error "calc missing --defender" 2 "--defender" calc damage --attacker pikachu --move tackle
expect_error "calc unknown option" 2 "--bogus" calc damage --attacker pikachu --defender gyarados --move tackle --bogus
# The Dex file itself: absent, malformed, not the Dex format.
printf '{"format": ' >"$work/truncated-dex.json"
printf '{"x": 1e999}' >"$work/huge-dex.json"
for f in "$work/absent-dex.json" "$work/truncated-dex.json" "$work/huge-dex.json"; do
  PDEX_DEX_FILE=$f run calc damage --attacker pikachu --defender gyarados --move tackle
  expect_rc "calc with PDEX_DEX_FILE=$(basename "$f")" 3
  expect_contains "calc with $(basename "$f"): message names the file" "$err" "$f"
  expect_clean "calc with $(basename "$f")"
done

# === battle simulate =================================================================================
run battle simulate --p1 pikachu:thunderbolt --p2 gyarados:waterfall --seed 3
expect_rc "battle simulate (text)" 0
expect_contains "simulate text: turn header" "$out" "== Turn 1 =="
last=$(printf '%s\n' "$out" | tail -n 1)
if [[ "$last" =~ ^Winner:\ (p[12]\ \([A-Za-z]+\)|draw)\ after\ [0-9]+\ turns?$ ]]; then
  pass "simulate text ends with the winner: $last"
else
  fail "simulate text: last line '$last'"
fi
text_out=$out
run battle simulate --p1 pikachu:thunderbolt --p2 gyarados:waterfall --seed 3 --json
expect_rc "battle simulate --json" 0
pyjson "simulate json: a winner, its name, turns, the seed" \
  'd["winner"] in (1, 2) and d["winner_name"] == d["p%d" % d["winner"]]["species"] and d["turns"] >= 1 and d["seed"] == 3'
pyjson "simulate json: the log starts with turn 1 and ends with the win event of the winner" \
  'd["events"][0]["kind"] == "turn" and d["events"][-1]["kind"] == "win" and d["events"][-1]["side"] == d["winner"]'
pyjson "simulate json: the loser fainted at 0 HP" \
  'any(e["kind"] == "faint" and e["side"] == 3 - d["winner"] for e in d["events"]) and [e for e in d["events"] if e["kind"] == "damage" and e["side"] == 3 - d["winner"]][-1]["hp_after"] == 0'
json_winner=$(pyval 'd["winner_name"]')
expect_contains "simulate text and json name the same winner" "$last" "($json_winner)"
for e in $(pyval '" ".join(e["text"].replace(" ", "_") for e in d["events"] if e["kind"] != "turn")'); do
  expect_contains "simulate text line: ${e//_/ }" "$text_out" "${e//_/ }"
done
sim_json=$out
run battle simulate --p1 pikachu:thunderbolt --p2 gyarados:waterfall --seed 3 --json
[[ "$out" == "$sim_json" ]] && pass "simulate: same seed, same battle" || fail "simulate: seed 3 gave two battles"
# Simulated damage is one of calc's rolls: the first hit of each side, at the roll the log reports.
for side in 1 2; do
  out=$sim_json
  read -r attacker defender move dmg roll crit hp_before < <(pyval "' '.join(map(str, next([d['p$side']['species'], d['p%d' % (3 - $side)]['species'], e['move'].replace(' ', ''), e['damage'], e['roll_percent'], e['crit'], e['hp_after'] + e['damage']] for e in d['events'] if e['kind'] == 'damage' and e['side'] == 3 - $side)))")
  crit_flag=()
  [[ "$crit" == True ]] && crit_flag=(--crit)
  run calc damage --attacker "$attacker" --defender "$defender" --move "$move" "${crit_flag[@]}" --json
  pyjson "simulate: $attacker's $move for $dmg at roll $roll% is calc's roll (capped at $hp_before HP)" \
    "min(d['rolls'][$roll - 85], $hp_before) == $dmg"
done
# Different seeds give different battles (random policy, several moves).
declare -A seen=()
for seed in 1 2 3 4 5 6; do
  run battle simulate --p1 pikachu:thunderbolt,quickattack,thunderwave --p2 snorlax:bodyslam,rest,headbutt --policy random \
    --seed "$seed" --json
  seen[$(pyval 'd["turns"], d["winner"], len(d["events"])')]=1
done
((${#seen[@]} > 1)) && pass "simulate: 6 seeds, ${#seen[@]} different battles" || fail "simulate: every seed gave the same battle"
run battle simulate --p1 chansey:tackle --p2 chansey:tackle --turn-limit 1 --seed 1 --json
pyjson "simulate --turn-limit 1 between two Chansey: a draw" 'd["winner"] == 0 and d["turns"] == 1 and d["winner_name"] == ""'
run battle simulate --p1 chansey:tackle --p2 chansey:tackle --turn-limit 1 --seed 1
expect_contains "simulate text: draw" "$out" "Winner: draw after 1 turn"
# Side options show in the sides' stats: AVs add to HP only (Showdown's gen7letsgo rule, dex/stats.h), IVs and
# natures move the others.
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --json
base_stats=$(pyval 'd["p1"]["stats"]')
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --p1-avs 200 --p2-ivs 0 --json
pyjson "simulate --p1-avs 200 adds 200 to p1's HP" "[a - b for a, b in zip(d['p1']['stats'], $base_stats)] == [200, 0, 0, 0, 0, 0]"
pyjson "simulate --p2-ivs 0 lowers each of p2's stats" "all(a < b for a, b in zip(d['p2']['stats'], $base_stats))"
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --p1-nature Adamant --p2-avs 10,0,0,0,0,0 \
  --p2-ivs 31,31,31,31,31,0 --json
pyjson "simulate --p1-nature Adamant: Atk up, SpA down" "d['p1']['stats'][1] > $base_stats[1] and d['p1']['stats'][3] < $base_stats[3]"
pyjson "simulate --p2-avs/--p2-ivs per stat" \
  "d['p2']['stats'][0] == $base_stats[0] + 10 and d['p2']['stats'][5] < $base_stats[5] and d['p2']['stats'][1:5] == $base_stats[1:5]"
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --level 30 --p2-level 70 --json
pyjson "simulate --level 30 --p2-level 70" 'd["p1"]["level"] == 30 and d["p2"]["level"] == 70'
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --p1-level 5 --json
pyjson "simulate --p1-level 5 (p2 at the default 50)" 'd["p1"]["level"] == 5 and d["p2"]["level"] == 50'
run battle simulate --p1 eevee:tackle,quickattack --p2 eevee:tackle --seed 1 --policy fixed --p2-policy random --json
pyjson "simulate --policy fixed --p2-policy random" 'd["p1"]["policy"] == "fixed" and d["p2"]["policy"] == "random"'
pyjson "simulate --policy fixed: p1 only uses its first move" \
  'all(e["move"] == "Tackle" for e in d["events"] if e["kind"] == "move" and e["side"] == 1)'
run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1 --p1-policy random --json
pyjson "simulate --p1-policy random (p2 greedy by default)" 'd["p1"]["policy"] == "random" and d["p2"]["policy"] == "greedy"'

# === battle odds =====================================================================================
run battle odds --p1 pikachu:quickattack --p2 pikachu:quickattack --method exact --json
expect_rc "odds --method exact (mirror)" 0
pyjson "odds exact mirror: 0.5 each, states counted" \
  'd["method"] == "exact" and abs(d["p1_win"] - 0.5) < 1e-9 and abs(d["p2_win"] - 0.5) < 1e-9 and d["states"] > 0'
run battle odds --p1 pikachu:slam --p2 eevee:tackle --method exact --json
exact_p1=$(pyval 'd["p1_win"]')
pyjson "odds exact: p1 + p2 + draw = 1, p1 strictly between 0 and 1" \
  'abs(d["p1_win"] + d["p2_win"] + d["draw"] - 1) < 1e-9 and 0 < d["p1_win"] < 1'
run battle odds --p1 eevee:tackle --p2 pikachu:slam --method exact --json
pyjson "odds exact: swapping the sides swaps the probabilities" "abs(d['p2_win'] - $exact_p1) < 1e-9"
run battle odds --p1 pikachu:slam --p2 eevee:tackle --method mc --n 20000 --seed 11 --json
expect_rc "odds --method mc --n 20000 --seed 11" 0
pyjson "odds mc: n and seed reported, probabilities sum to 1" \
  'd["method"] == "mc" and d["n"] == 20000 and d["seed"] == 11 and abs(d["p1_win"] + d["p2_win"] + d["draw"] - 1) < 1e-9'
pyjson "odds mc: the exact value $exact_p1 lies in the 99 % CI" "d['ci'][0] <= $exact_p1 <= d['ci'][1] and d['ci_level'] == 0.99"
mc_json=$out
run battle odds --p1 pikachu:slam --p2 eevee:tackle --method mc --n 20000 --seed 11 --json
[[ "$out" == "$mc_json" ]] && pass "odds mc: same seed, same estimate" || fail "odds mc: seed 11 gave two estimates"
run battle odds --p1 pikachu:thunderbolt --p2 gyarados:waterfall --json
pyjson "odds auto falls back to Monte Carlo (Thunderbolt can paralyse), 10000 battles by default" \
  'd["method"] == "mc" and d["n"] == 10000 and d["seed"] == 1'
run battle odds --p1 pikachu:slam --p2 eevee:tackle
expect_rc "odds (text)" 0
expect_contains "odds text: exact with states" "$out" "method exact ("
expect_contains "odds text: p1_win" "$out" "p1_win $(printf '%.4f' "$exact_p1")"
run battle odds --p1 pikachu:slam --p2 eevee:tackle --method mc --n 500 --seed 4
expect_contains "odds text: Monte Carlo n and seed" "$out" "method mc (n 500, seed 4)"
run battle odds --p1 pikachu:slam --p2 eevee:tackle --level 20 --p1-level 25 --p2-avs 10 --p1-ivs 20 --p1-nature Brave \
  --p2-nature Calm --policy fixed --p1-policy greedy --turn-limit 50 --json
expect_rc "odds with every side option" 0
pyjson "odds with side options: levels and policies applied" \
  'd["p1"]["level"] == 25 and d["p2"]["level"] == 20 and d["p1"]["policy"] == "greedy" and d["p2"]["policy"] == "fixed"'
expect_error "odds exact not applicable" 3 "exact" battle odds --p1 pikachu:thunderbolt --p2 gyarados:waterfall --method exact
expect_error "odds --method bogus" 2 "--method" battle odds --p1 pikachu:slam --p2 eevee:tackle --method bogus
for bad in 0 -1 1000000001; do
  expect_error "odds --n $bad" 2 "--n" battle odds --p1 pikachu:slam --p2 eevee:tackle --method mc --n "$bad"
done
expect_error "odds --n abc" 2 "--n" battle odds --p1 pikachu:slam --p2 eevee:tackle --n abc
expect_error "odds --seed abc" 2 "--seed" battle odds --p1 pikachu:slam --p2 eevee:tackle --seed abc
expect_error "odds --seed 99999999999999999999" 2 "--seed" battle odds --p1 pikachu:slam --p2 eevee:tackle --seed 99999999999999999999

# Bad battle options, for both subcommands.
for sub in odds simulate; do
  b=(battle "$sub" --seed 1)
  expect_error "$sub unknown Pokémon" 3 "--p1: unknown Pokémon 'missingno'" "${b[@]}" --p1 missingno:tackle --p2 eevee:tackle
  expect_error "$sub unknown move" 3 "--p2: unknown move 'flyingpress'" "${b[@]}" --p1 eevee:tackle --p2 eevee:flyingpress
  expect_error "$sub no moves" 2 "--p1: expected SPECIES:MOVE" "${b[@]}" --p1 eevee --p2 eevee:tackle
  expect_error "$sub empty species" 2 "--p1: expected SPECIES:MOVE" "${b[@]}" --p1 :tackle --p2 eevee:tackle
  expect_error "$sub empty move" 2 "--p2: empty move name" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle,
  expect_error "$sub five moves" 2 "--p1: at most 4 moves" "${b[@]}" --p1 eevee:tackle,bite,growl,swift,dig --p2 eevee:tackle
  expect_error "$sub move twice" 3 "listed twice" "${b[@]}" --p1 eevee:tackle,tackle --p2 eevee:tackle
  expect_error "$sub unimplemented move" 3 "Metronome is not implemented" "${b[@]}" --p1 clefairy:metronome --p2 eevee:tackle
  expect_error "$sub missing --p2" 2 "--p2" "${b[@]}" --p1 eevee:tackle
  for bad in 0 101 abc 99999999999999999999; do
    expect_error "$sub --level $bad" 2 "--level" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --level "$bad"
    expect_error "$sub --p2-level $bad" 2 "--p2-level" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p2-level "$bad"
  done
  expect_error "$sub --p1-ivs 32" 2 "--p1-ivs" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p1-ivs 32
  expect_error "$sub --p1-ivs two values" 2 "--p1-ivs" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p1-ivs 1,2
  expect_error "$sub --p2-ivs huge" 2 "--p2-ivs" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p2-ivs 99999999999999999999
  expect_error "$sub --p1-avs 201" 2 "--p1-avs" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p1-avs 201
  expect_error "$sub --p2-avs -1" 2 "--p2-avs" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p2-avs=-1,0,0,0,0,0
  expect_error "$sub --p1-nature" 2 "--p1-nature: unknown nature 'Grumpy'" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle \
    --p1-nature Grumpy
  expect_error "$sub --policy" 2 "--policy" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --policy smart
  expect_error "$sub --p2-policy" 2 "--p2-policy" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --p2-policy smart
  for bad in 0 100001 abc; do
    expect_error "$sub --turn-limit $bad" 2 "--turn-limit" "${b[@]}" --p1 eevee:tackle --p2 eevee:tackle --turn-limit "$bad"
  done
done
expect_error "simulate without --seed" 2 "--seed" battle simulate --p1 eevee:tackle --p2 eevee:tackle
expect_error "simulate --seed -1" 2 "--seed" battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed=-1
PDEX_DEX_FILE=$work/truncated-dex.json run battle simulate --p1 eevee:tackle --p2 eevee:tackle --seed 1
expect_rc "simulate with a malformed Dex file" 3
expect_clean "simulate with a malformed Dex file"

# === predict =========================================================================================
run predict --p1 pikachu:thunderbolt --p2 gyarados:waterfall --json
expect_rc "predict --json (models/default)" 0
pyjson "predict: probabilities in [0, 1] summing to 1" \
  '0 <= d["pokemon_1_win_probability"] <= 1 and abs(d["pokemon_1_win_probability"] + d["pokemon_2_win_probability"] - 1) < 1e-9'
pyjson "predict: winner and confidence follow the probability" \
  '(d["winner"] == 1) == (d["pokemon_1_win_probability"] >= 0.5) and abs(d["confidence"] - max(d["pokemon_1_win_probability"], d["pokemon_2_win_probability"])) < 1e-9'
pyjson "predict: the API response shape (DESIGN §3)" \
  'd["pokemon_1"]["name"] == "Pikachu" and d["pokemon_2"]["name"] == "Gyarados" and len(d["prediction_id"]) == 32 and d["model_version"] and d["winner_name"] == d["pokemon_%d" % d["winner"]]["name"]'
pyjson "predict: moves given are 'request' moves" \
  '[m["name"] for m in d["pokemon_1"]["moves"]] == ["Thunderbolt"] and d["pokemon_1"]["moves_chosen_by"] == "request"'
p1=$(pyval 'd["pokemon_1_win_probability"]')
version=$(pyval 'd["model_version"]')
bundle_version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$bundle/bundle.json")
[[ "$version" == "$bundle_version" ]] && pass "predict: model_version is the bundle's ($version)" ||
  fail "predict: model_version $version, bundle $bundle_version"
run predict --p1 gyarados:waterfall --p2 pikachu:thunderbolt --json
pyjson "predict: swapping the sides swaps the probabilities (symmetrised model)" \
  "abs(d['pokemon_2_win_probability'] - $p1) < 1e-6"
run predict --p1 pikachu:thunderbolt --p2 gyarados:waterfall --model "$bundle" --json
pyjson "predict --model DIR: same answer as models/default" "abs(d['pokemon_1_win_probability'] - $p1) < 1e-12"
run predict --p1 pikachu:thunderbolt --p2 gyarados:waterfall --model default --json
pyjson "predict --model NAME" "abs(d['pokemon_1_win_probability'] - $p1) < 1e-12"
run predict --p1 pikachu:thunderbolt --p2 gyarados:waterfall
expect_rc "predict (text)" 0
expect_contains "predict text: the sides and moves" "$out" "Pikachu (L50: Thunderbolt) vs Gyarados (L50: Waterfall)"
expect_contains "predict text: p1 probability" "$out" "p1 $(printf '%.4f' "$p1")"
expect_contains "predict text: model version" "$out" "model $version"
run predict --p1 pikachu --p2 gyarados --json
pyjson "predict without moves: one server-recommended move each" \
  'd["pokemon_1"]["moves_chosen_by"] == "server" and len(d["pokemon_1"]["moves"]) == 1 and len(d["pokemon_2"]["moves"]) == 1'
run predict --p1 pikachu:thunderbolt,quickattack --p2 gyarados:waterfall --level 30 --p2-level 80 --json
pyjson "predict --level 30 --p2-level 80" 'd["pokemon_1"]["level"] == 30 and d["pokemon_2"]["level"] == 80'
pyjson "predict: a level-80 Gyarados beats a level-30 Pikachu" 'd["winner"] == 2'
run predict --p1 pikachu:thunderbolt --p2 gyarados:waterfall --p1-level 100 --json
pyjson "predict --p1-level 100 (p2 at the default 50)" 'd["pokemon_1"]["level"] == 100 and d["pokemon_2"]["level"] == 50'

expect_error "predict unknown Pokémon" 3 "--p1: unknown Pokémon 'missingno'" predict --p1 missingno --p2 gyarados
expect_error "predict unknown move" 3 "--p2: unknown move 'flyingpress'" predict --p1 pikachu --p2 gyarados:flyingpress
expect_error "predict empty move" 2 "--p1: empty move name" predict --p1 pikachu: --p2 gyarados
expect_error "predict five moves" 2 "--p2: at most 4 moves" predict --p1 pikachu --p2 eevee:tackle,bite,growl,swift,dig
expect_error "predict move twice" 3 "listed twice" predict --p1 eevee:tackle,tackle --p2 gyarados
expect_error "predict missing --p2" 2 "--p2" predict --p1 pikachu
for bad in 0 101 -3; do
  expect_error "predict --level $bad" 2 "--level: expected 1..100" predict --p1 pikachu --p2 gyarados --level "$bad"
  expect_error "predict --p1-level $bad" 2 "--p1-level: expected 1..100" predict --p1 pikachu --p2 gyarados --p1-level "$bad"
done
for bad in abc 99999999999999999999 2.5; do
  expect_error "predict --level $bad" 2 "--level" predict --p1 pikachu --p2 gyarados --level "$bad"
  expect_error "predict --p2-level $bad" 2 "--p2-level" predict --p1 pikachu --p2 gyarados --p2-level "$bad"
done
expect_error "predict --model absent" 3 "nosuchmodel" predict --p1 pikachu --p2 gyarados --model nosuchmodel
cp -r "$bundle" "$work/broken-bundle"
printf '{"version": ' >"$work/broken-bundle/bundle.json"
expect_error "predict --model with a malformed bundle.json" 3 "bundle.json" predict --p1 pikachu --p2 gyarados \
  --model "$work/broken-bundle"
printf '{"version": 1e999}' >"$work/broken-bundle/bundle.json"
expect_error "predict --model with an overflowing number in bundle.json" 3 "bundle.json" predict --p1 pikachu \
  --p2 gyarados --model "$work/broken-bundle"

# === user JSON files: out-of-range numbers and wrong types are invalid data (3), naming file and field ====
jfile() { printf '%s' "$2" >"$work/$1"; }  # NAME CONTENT
jfile ds-overflow.json '{"seed": 1e999}'
jfile ds-string.json '{"seed": "abc"}'
jfile ds-negative.json '{"seed": -1}'
jfile ds-bigint.json '{"max_moves": 99999999999999999999}'
jfile ds-int-overflow.json '{"turn_limit": 4294967297}'
jfile ds-fraction.json '{"mc_n": 2.5}'
jfile ds-list.json '{"other_levels": [50, "x"]}'
jfile ds-scenario.json '{"scenarios": {"fixed_pair": 1e20}}'
jfile ds-split.json '{"splits": {"train": "most"}}'
jfile ds-truncated.json '{"seed": 1'
for case in "ds-overflow:" "ds-string:seed" "ds-negative:seed" "ds-bigint:max_moves" "ds-int-overflow:turn_limit" \
  "ds-fraction:mc_n" "ds-list:other_levels[1]" "ds-scenario:scenarios.fixed_pair" "ds-split:splits.train" "ds-truncated:"; do
  f=$work/${case%%:*}.json
  expect_error "dataset build --config ${case%%:*}" 3 "$f" dataset build --config "$f" --quiet --out "$work/never"
  [[ -n "${case#*:}" ]] && expect_contains "dataset build --config ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done
expect_error "dataset build --config absent" 2 "--config" dataset build --config "$work/absent.json" --quiet
expect_error "dataset build --seed -1" 2 "--seed" dataset build --seed=-1 --quiet
expect_error "dataset build --scale abc" 2 "--scale" dataset build --scale abc --quiet

jfile th-string.json '{"min_side1_share": "half"}'
jfile th-nested.json '{"dataset_check": {"max_duplicate_rate": [1]}}'
jfile th-overflow.json '{"max_side1_share": -1e999}'
jfile th-array.json '[1, 2]'
for case in "th-string:min_side1_share" "th-nested:dataset_check.max_duplicate_rate" "th-overflow:" "th-array:"; do
  f=$work/${case%%:*}.json
  expect_error "dataset check --thresholds ${case%%:*}" 3 "$f" dataset check --dataset "$work/dataset" --thresholds "$f"
  [[ -n "${case#*:}" ]] && expect_contains "dataset check ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done
expect_error "dataset check --thresholds absent" 2 "--thresholds" dataset check --dataset "$work/dataset" \
  --thresholds "$work/absent.json"
run dataset check --dataset "$work/dataset" --thresholds configs/gates.json
expect_rc "dataset check with configs/gates.json" 0
# A dataset whose schema or rows were tampered with: invalid data naming the file and field.
cp -r "$work/dataset" "$work/ds-bad-count"
python3 - "$work/ds-bad-count/schema.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["features"]["count"] = -1; json.dump(s, open(sys.argv[1], "w"))
PY
expect_error "dataset check: features.count -1" 3 "features.count" dataset check --dataset "$work/ds-bad-count"
cp -r "$work/dataset" "$work/ds-bad-config"
python3 - "$work/ds-bad-config/schema.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["config"]["turn_limit"] = 1e300; json.dump(s, open(sys.argv[1], "w"))
PY
expect_error "dataset check: config.turn_limit 1e300" 3 "turn_limit" dataset check --dataset "$work/ds-bad-config"
cp -r "$work/dataset" "$work/ds-bad-row"
python3 - "$work/ds-bad-row/rows.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
cells = lines[1].split(","); cells[4] = "99999999999999999999999"  # species_1
lines[1] = ",".join(cells); open(sys.argv[1], "w").write("\n".join(lines))
PY
expect_error "dataset check: an integer overflowing 64 bits in rows.csv" 3 "rows.csv: line 2" dataset check \
  --dataset "$work/ds-bad-row"
expect_contains "dataset check: rows.csv overflow says out of range" "$err" "out of range"
cp -r "$work/dataset" "$work/ds-bad-row2"
python3 - "$work/ds-bad-row2/rows.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
cells = lines[1].split(","); cells[4] = "4294967321"  # fits 64 bits, not an int
lines[1] = ",".join(cells); open(sys.argv[1], "w").write("\n".join(lines))
PY
expect_error "dataset check: an integer overflowing int in rows.csv" 3 "out of range" dataset check --dataset "$work/ds-bad-row2"
cp -r "$work/dataset" "$work/ds-huge-schema"
printf '{"format": "predictiondex-dataset", "format_version": 1e999}' >"$work/ds-huge-schema/schema.json"
expect_error "dataset check: 1e999 in schema.json" 3 "schema.json" dataset check --dataset "$work/ds-huge-schema"

jfile model-overflow.json '{"xgboost": {"num_boost_round": 1e999}}'
jfile model-string.json '{"xgboost": {"max_depth": "deep"}}'
jfile model-bigint.json '{"xgboost": {"num_boost_round": 99999999999999999999}}'
jfile model-narrow.json '{"xgboost": {"max_depth": 4294967302}}'
jfile model-seed.json '{"xgboost": {"seed": -5}}'
jfile model-tune.json '{"tune": {"trials": 1e10}}'
jfile model-rf.json '{"kind": "random_forest", "random_forest": {"num_trees": "many"}}'
jfile model-eta.json '{"xgboost": {"eta": "fast"}}'
for case in "model-overflow:" "model-string:max_depth" "model-bigint:num_boost_round" "model-narrow:max_depth" \
  "model-seed:seed" "model-tune:tune.trials" "model-rf:random_forest.num_trees" "model-eta:eta"; do
  f=$work/${case%%:*}.json
  expect_error "model train --config ${case%%:*}" 3 "$f" model train --dataset "$work/dataset" --config "$f" --quiet \
    --out "$work/never"
  [[ -n "${case#*:}" ]] && expect_contains "model train ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done
expect_error "model train --config absent" 2 "--config" model train --dataset "$work/dataset" --config "$work/absent.json"
expect_error "model train --seed huge" 2 "--seed" model train --dataset "$work/dataset" --seed 99999999999999999999

jfile gates-string.json '{"gates": {"min_accuracy": "high"}}'
jfile gates-overflow.json '{"gates": {"min_accuracy": 1e999}}'
jfile gates-cc.json '{"gates": {}, "champion_challenger": {"max_accuracy_drop": "none"}}'
for case in "gates-string:min_accuracy" "gates-overflow:"; do
  f=$work/${case%%:*}.json
  expect_error "model evaluate --gates ${case%%:*}" 3 "$f" model evaluate --gates "$f"
  [[ -n "${case#*:}" ]] && expect_contains "model evaluate ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done
expect_error "model evaluate --gates absent" 2 "--gates" model evaluate --gates "$work/absent.json"
expect_error "model evaluate --split bogus" 2 "--split" model evaluate --split bogus --no-gates
for case in "gates-string:min_accuracy" "gates-overflow:" "gates-cc:champion_challenger.max_accuracy_drop"; do
  f=$work/${case%%:*}.json
  expect_error "model promote --gates ${case%%:*}" 3 "$f" model promote battle_winner_model 1 --reason test --gates "$f"
  [[ -n "${case#*:}" ]] && expect_contains "model promote ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done

jfile pipe-overflow.json '{"scale": 1e999}'
jfile pipe-string.json '{"scale": "big"}'
jfile pipe-type.json '{"gates": 7}'
jfile pipe-array.json '["scale"]'
for case in "pipe-overflow:" "pipe-string:scale" "pipe-type:gates" "pipe-array:"; do
  f=$work/${case%%:*}.json
  expect_error "pipeline run --config ${case%%:*}" 3 "$f" pipeline run --config "$f"
  [[ -n "${case#*:}" ]] && expect_contains "pipeline run ${case%%:*}: names ${case#*:}" "$err" "${case#*:}"
done
expect_error "pipeline run --config absent" 2 "--config" pipeline run --config "$work/absent.json"

echo
if ((failures > 0)); then
  echo "cli_calc_predict_battle_test: $failures failure(s)" >&2
  exit 1
fi
echo "cli_calc_predict_battle_test: all passed"
