// The one importer of data/lgpe-dex.json (format: docs/data-format.md).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "dex/dex_data.h"

namespace pdex::dex {

// Thrown for any invalid data file. what() is one line naming the file, the record and the field, e.g.
// "data/lgpe-dex.json: pokemon[24] (pikachu): base_stats.atk: must be 1..255, got -5".
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses and fully validates, stopping at the first problem:
// - JSON syntax: "LABEL: malformed JSON at byte N: parse error at line L, column C: ..." (N from nlohmann's
//   parse_error::byte, 1-based: the byte at which the parser gave up; N = size + 1 for a truncated file).
// - header: format "predictiondex-lgpe-dex", format_version 1, source.mod "gen7letsgo", source.packages
//   strings, content_sha256 64 lowercase hex digits.
// - every documented field present with its JSON type ("missing field", "expected a string, got integer 5");
//   nullable fields must be present as null; numbers must be integers (no 5.0) except type multipliers.
// - ranges: base stats 1..255, weight_hg 1..100000, power 0..250 (0 for Status moves), accuracy 1..100 or
//   null, pp 1..64, priority -7..5, crit_ratio 1..6, chances 1..100, stages -6..6 (keys atk def spa spd spe
//   accuracy evasion), fractions 1 <= num <= den <= 100, multihit 1 <= min <= max <= 10, learn level
//   0..100 (levelup only; null otherwise), evolution level 1..100.
// - names: type names (case-insensitive), categories, status ids, learn methods, evolution triggers, Showdown
//   ids (lowercase a-z0-9).
// - 18 types in canonical order with ids 1..18; the type chart has each of the 324 pairs exactly once with a
//   multiplier in {0, 0.5, 1, 2}.
// - uniqueness: species id and showdown_id, move id and showdown_id, identical learnset rows.
// - references: base_species, prevo, evolutions[].to, mega_evolutions[] and learnset pokemon/inherited_from
//   name species of content.pokemon; learnset moves name content.moves; every move is learned by some row.
// - content_sha256 equals SHA-256 of content's canonical form (nlohmann dump(), keys sorted; byte-identical
//   to Node's JSON.stringify of a key-sorted copy): "LABEL: content_sha256 mismatch: file says X, content
//   hashes to Y". Checked after the content, so a broken record is reported as itself, not as a mismatch.
// Messages name the record as "pokemon[24] (pikachu)", "moves[3] (thunderbolt)", "learnsets[9] (pikachu
// growl)", "types[1] (Fire)", "type_chart[40]", or "document" for the header; nested fields as
// "base_stats.atk", "secondaries[0].chance", "evolutions[1].to".
// Forward compatibility: keys not in docs/data-format.md are ignored, at any level except inside stage-change
// objects (an unknown stat there is an error, since ignoring it would change a move's effect).
// The result has species and moves sorted by id and learnsets in the documented order (pokemon id, move id,
// method in enum order, level null first, inherited_from null first), whatever the file's order.
// `label` names the source in messages (usually the path).
DexData parse_dex_json(std::string_view text, const std::string& label);
// Reads and parses `path` (label = the path); DataError naming the path when it cannot be read.
DexData load_dex_json(const std::filesystem::path& path);

}  // namespace pdex::dex
