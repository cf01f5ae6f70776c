// The Pokédex routes: GET /api/v1/pokemon, /api/v1/pokemon/{id}, /api/v1/moves, /api/v1/moves/{id},
// /api/v1/types, /api/v1/types/effectiveness. All read the shared immutable Dex.
#include <algorithm>
#include <vector>

#include "battle/move_support.h"
#include "dex/stats.h"
#include "dex/type.h"
#include "service/api_server.h"
#include "service/dex_views.h"
#include "service/handler_support.h"

namespace pdex::service {
namespace {

using nlohmann::ordered_json;

struct Page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

Page read_page(QueryReader& q) {
  Page p;
  if (auto v = q.integer("limit", 1, 200)) p.limit = *v;
  if (auto v = q.integer("offset", 0, 1'000'000)) p.offset = *v;
  return p;
}

template <typename T, typename F>
ordered_json paginate(const std::vector<const T*>& all, const Page& page, F&& to_json) {
  ordered_json items = ordered_json::array();
  const auto begin = std::min<std::size_t>(static_cast<std::size_t>(page.offset), all.size());
  const auto end = std::min<std::size_t>(begin + static_cast<std::size_t>(page.limit), all.size());
  for (std::size_t i = begin; i < end; ++i) items.push_back(to_json(*all[i]));
  return ordered_json{
      {"items", std::move(items)}, {"total", all.size()}, {"limit", page.limit}, {"offset", page.offset}};
}

std::optional<dex::Type> read_type(QueryReader& q, const std::string& name) {
  auto text = q.string(name, 20);
  if (!text) return std::nullopt;
  auto t = dex::parse_type(*text);
  if (!t) q.add_error(name, "unknown type '" + *text + "' (one of the 18 type names, e.g. Fire)");
  return t;
}

Response list_pokemon(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  const auto type = read_type(q, "type");
  const auto text = q.string("q", 100);
  const auto is_mega = q.boolean("is_mega");
  const auto is_alola = q.boolean("is_alola");
  const Page page = read_page(q);
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));

  const std::string text_id = text ? dex::to_showdown_id(*text) : "";
  std::vector<const dex::Species*> matches;
  for (const dex::Species& s : dex.all_species()) {
    if (type && !s.types.has(*type)) continue;
    if (is_mega && s.is_mega != *is_mega) continue;
    if (is_alola && s.is_alola != *is_alola) continue;
    if (text && !contains_folded(s.name, *text) && !(!text_id.empty() && contains_folded(s.showdown_id, text_id)) &&
        !(s.name_fr && contains_folded(*s.name_fr, *text))) {
      continue;
    }
    matches.push_back(&s);
  }
  return json_response(paginate(matches, page, [](const dex::Species& s) { return species_summary(s); }));
}

Response get_pokemon(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  const int level = static_cast<int>(q.integer("level", 1, 100).value_or(50));
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));
  const std::string& key = ctx.path_params["id"];
  const dex::Species* s = dex.find_species(key);
  if (!s) return problem_for(ctx, not_found("unknown Pokémon '" + key.substr(0, 100) + "'"));
  return json_response(species_detail(dex, *s, level));
}

Response list_moves(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  const auto type = read_type(q, "type");
  std::optional<dex::MoveCategory> category;
  if (auto c = q.string("category", 20)) {
    std::string folded = *c;
    for (auto& ch : folded) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!folded.empty()) folded[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(folded[0])));
    category = dex::parse_category(folded);
    if (!category) q.add_error("category", "must be Physical, Special or Status, got '" + *c + "'");
  }
  const auto text = q.string("q", 100);
  const Page page = read_page(q);
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));

  const std::string text_id = text ? dex::to_showdown_id(*text) : "";
  std::vector<const dex::Move*> matches;
  for (const dex::Move& m : dex.all_moves()) {
    if (type && m.type != *type) continue;
    if (category && m.category != *category) continue;
    if (text && !contains_folded(m.name, *text) && !(!text_id.empty() && contains_folded(m.showdown_id, text_id)) &&
        !(m.name_fr && contains_folded(*m.name_fr, *text))) {
      continue;
    }
    matches.push_back(&m);
  }
  return json_response(paginate(matches, page, [](const dex::Move& m) { return move_summary(m); }));
}

Response get_move(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));
  const std::string& key = ctx.path_params["id"];
  const dex::Move* m = dex.find_move(key);
  if (!m) return problem_for(ctx, not_found("unknown move '" + key.substr(0, 100) + "'"));
  return json_response(move_detail(dex, *m));
}

Response list_types(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));
  ordered_json items = ordered_json::array();
  for (const dex::TypeInfo& t : dex.data().types) {
    ordered_json item = {{"id", t.id}, {"name", t.name}};
    item["name_fr"] = t.name_fr ? ordered_json(*t.name_fr) : ordered_json(nullptr);
    items.push_back(std::move(item));
  }
  return json_response(ordered_json{{"items", std::move(items)}, {"total", dex.data().types.size()}});
}

// ?attacking=Fire&defending=Grass,Flying -> one multiplier; one side only -> a row or column; none -> the chart.
Response type_effectiveness(const dex::Dex& dex, const Request&, RequestContext& ctx) {
  QueryReader q(ctx.query);
  const auto attacking = read_type(q, "attacking");
  std::optional<dex::Typing> defending;
  std::vector<dex::Type> defending_list;
  if (auto text = q.string("defending", 40)) {
    bool ok = true;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = text->find(',', start);
      const std::string part = text->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const auto t = dex::parse_type(part);
      if (!t) {
        q.add_error("defending", "unknown type '" + part + "' (one or two type names separated by a comma)");
        ok = false;
        break;
      }
      defending_list.push_back(*t);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (ok && (defending_list.size() > 2 || (defending_list.size() == 2 && defending_list[0] == defending_list[1]))) {
      q.add_error("defending", "must be one type or two different types, got '" + *text + "'");
      ok = false;
    }
    if (ok) defending = dex::Typing{defending_list.front(), defending_list.back()};
  }
  q.reject_unknown();
  if (!q.ok()) return problem_for(ctx, validation_problem(q.take_errors()));

  const dex::TypeChart& chart = dex.chart();
  auto typing_json = [](const dex::Typing& t) {
    ordered_json out = ordered_json::array({std::string(dex::type_name(t.first))});
    if (t.dual()) out.push_back(std::string(dex::type_name(t.second)));
    return out;
  };
  if (attacking && defending) {
    return json_response(ordered_json{{"attacking", std::string(dex::type_name(*attacking))},
                                      {"defending", typing_json(*defending)},
                                      {"multiplier", chart.multiplier(*attacking, *defending)}});
  }
  std::vector<dex::Type> all;
  for (int i = 0; i < dex::kTypeCount; ++i) all.push_back(static_cast<dex::Type>(i));
  if (attacking) {
    ordered_json against = ordered_json::object();
    for (dex::Type d : all) against[std::string(dex::type_name(d))] = chart.multiplier(*attacking, d);
    return json_response(
        ordered_json{{"attacking", std::string(dex::type_name(*attacking))}, {"against", std::move(against)}});
  }
  if (defending) {
    ordered_json from = ordered_json::object();
    for (dex::Type a : all) from[std::string(dex::type_name(a))] = chart.multiplier(a, *defending);
    return json_response(ordered_json{{"defending", typing_json(*defending)}, {"from", std::move(from)}});
  }
  ordered_json types = ordered_json::array();
  ordered_json matrix = ordered_json::array();
  for (dex::Type a : all) {
    types.push_back(std::string(dex::type_name(a)));
    ordered_json row = ordered_json::array();
    for (dex::Type d : all) row.push_back(chart.multiplier(a, d));
    matrix.push_back(std::move(row));
  }
  return json_response(ordered_json{{"types", std::move(types)},
                                    {"matrix", std::move(matrix)},
                                    {"note", "matrix[attacking][defending], types in the order of 'types'"}});
}

}  // namespace

void register_dex_routes(Router& router, ServiceState& state) {
  auto bind = [&state](Response (*f)(const dex::Dex&, const Request&, RequestContext&)) {
    return [&state, f](const Request& req, RequestContext& ctx) { return f(*state.dex, req, ctx); };
  };
  router.add(http::verb::get, "/api/v1/pokemon", "read", bind(list_pokemon));
  router.add(http::verb::get, "/api/v1/pokemon/{id}", "read", bind(get_pokemon));
  router.add(http::verb::get, "/api/v1/moves", "read", bind(list_moves));
  router.add(http::verb::get, "/api/v1/moves/{id}", "read", bind(get_move));
  router.add(http::verb::get, "/api/v1/types", "read", bind(list_types));
  router.add(http::verb::get, "/api/v1/types/effectiveness", "read", bind(type_effectiveness));
}

}  // namespace pdex::service
