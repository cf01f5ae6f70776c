// docs/openapi.json against the server: every registered route is documented, every documented operation
// answers (never 404/405), and responses validate against the schemas the document declares for their status.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "service/auth_middleware.h"
#include "service/registry_test_fixture.h"
#include "service/service_test_support.h"

namespace pdex::service::testing {
namespace {

using nlohmann::json;

json load_document() {
  std::ifstream in("docs/openapi.json");
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

// A JSON Schema subset: $ref (local), type (string or list), enum, required, properties,
// additionalProperties: false, items, minimum/maximum, minItems/maxItems, oneOf, allOf.
class SchemaValidator {
 public:
  explicit SchemaValidator(const json& document) : doc_(document) {}

  // Appends "path: problem" lines to `errors`.
  void validate(const json& schema, const json& value, const std::string& path,
                std::vector<std::string>& errors) const {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) != 0) {
        errors.push_back(path + ": unsupported $ref " + ref);
        return;
      }
      validate(doc_["components"]["schemas"].at(ref.substr(prefix.size())), value, path, errors);
      return;
    }
    if (schema.contains("allOf")) {
      for (const auto& s : schema["allOf"]) validate(s, value, path, errors);
    }
    if (schema.contains("oneOf")) {
      int matches = 0;
      for (const auto& s : schema["oneOf"]) {
        std::vector<std::string> sub;
        validate(s, value, path, sub);
        matches += sub.empty();
      }
      if (matches != 1) errors.push_back(path + ": matches " + std::to_string(matches) + " oneOf alternatives");
    }
    if (schema.contains("type")) {
      std::vector<std::string> types;
      if (schema["type"].is_array()) {
        for (const auto& t : schema["type"]) types.push_back(t);
      } else {
        types.push_back(schema["type"]);
      }
      bool ok = false;
      for (const auto& t : types) ok = ok || has_type(value, t);
      if (!ok) {
        errors.push_back(path + ": expected type " + schema["type"].dump() + ", got " + value.dump().substr(0, 80));
        return;
      }
    }
    if (schema.contains("enum")) {
      bool ok = false;
      for (const auto& e : schema["enum"]) ok = ok || e == value;
      if (!ok) errors.push_back(path + ": " + value.dump() + " not in enum " + schema["enum"].dump());
    }
    if (value.is_number()) {
      if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
        errors.push_back(path + ": below minimum");
      }
      if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
        errors.push_back(path + ": above maximum");
      }
    }
    if (value.is_object()) {
      for (const auto& r : schema.value("required", json::array())) {
        if (!value.contains(r.get<std::string>()))
          errors.push_back(path + ": missing required " + r.get<std::string>());
      }
      const json props = schema.value("properties", json::object());
      for (const auto& [k, v] : value.items()) {
        if (props.contains(k)) {
          validate(props[k], v, path + "." + k, errors);
        } else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false) {
          errors.push_back(path + ": unexpected property " + k);
        }
      }
    }
    if (value.is_array()) {
      if (schema.contains("minItems") && value.size() < schema["minItems"].get<std::size_t>()) {
        errors.push_back(path + ": too few items");
      }
      if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<std::size_t>()) {
        errors.push_back(path + ": too many items");
      }
      if (schema.contains("items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          validate(schema["items"], value[i], path + "[" + std::to_string(i) + "]", errors);
        }
      }
    }
  }

 private:
  static bool has_type(const json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer() || v.is_number_unsigned();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  }
  const json& doc_;
};

class OpenApiTest : public ::testing::Test {
 protected:
  // The server as `pdex serve` assembles it, routes included: a web root and the web session routes.
  static void SetUpTestSuite() {
    signer_ = new SessionSigner("", std::chrono::seconds(600));
    // A real model registry for /api/v1/models*: the documented examples roll back v2 -> v1, then promote v3
    // under loose gates (registry_test_fixture.h).
    const RegistryFixture registry = make_registry_fixture();
    server_ = new TestServer(
        [registry](ServiceConfig& c) {
          c.web_root = fixture_web_root();
          c.database_url = registry.database_url;
          c.data_dir = registry.data_dir;
          c.gates_file = registry.loose_gates;
        },
        [](ApiServer& api) { register_session_routes(api.router(), *signer_, false); });
    server_->state().models.set(std::make_shared<ConstantModel>(0.6));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete signer_;
    signer_ = nullptr;
  }
  static TestServer* server_;
  static SessionSigner* signer_;
};
TestServer* OpenApiTest::server_ = nullptr;
SessionSigner* OpenApiTest::signer_ = nullptr;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_F(OpenApiTest, DocumentIsOpenApi31) {
  const json doc = load_document();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["info"]["title"].is_string());
  // Every $ref resolves.
  std::function<void(const json&)> check = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        const std::string ref = node["$ref"];
        EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(std::string("#/components/schemas/").size())))
            << ref;
      }
      for (const auto& [k, v] : node.items()) check(v);
    } else if (node.is_array()) {
      for (const auto& v : node) check(v);
    }
  };
  check(doc);
}

TEST_F(OpenApiTest, EveryRegisteredRouteIsDocumented) {
  const json doc = load_document();
  std::set<std::pair<std::string, std::string>> registered;
  for (const Route& r : server_->api().router().routes()) {
    const std::string method = lower(std::string(http::to_string(r.method)));
    registered.insert({r.pattern, method});
    EXPECT_TRUE(doc["paths"].contains(r.pattern) && doc["paths"][r.pattern].contains(method))
        << method << " " << r.pattern << " is served but not in docs/openapi.json";
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      EXPECT_TRUE(registered.count({path, method})) << method << " " << path << " is documented but not served";
    }
  }
}

// Calls each documented operation with its documented example and validates the answer against the schema
// declared for the status it got.
TEST_F(OpenApiTest, EveryDocumentedOperationAnswersWithItsSchema) {
  const json doc = load_document();
  SchemaValidator validator(doc);
  int checked = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string target = path;
      for (const auto& p : op.value("parameters", json::array())) {
        if (p["in"] == "path") {
          const std::string name = "{" + p["name"].get<std::string>() + "}";
          target.replace(target.find(name), name.size(), p.value("example", "25"));
        }
      }
      HttpResult r;
      if (method == "post") {
        const json example = op["requestBody"]["content"]["application/json"]["example"];
        r = post(server_->port(), target, example.dump());
      } else if (method == "delete") {
        r = call(server_->port(), http::verb::delete_, target);
      } else {
        r = get(server_->port(), target);
      }
      EXPECT_NE(r.status, 404) << method << " " << target << ": " << r.body;
      EXPECT_NE(r.status, 405) << method << " " << target;
      // The operation's success status: its first documented 2xx.
      std::string success;
      for (const auto& [code, response] : op["responses"].items()) {
        if (success.empty() && code.size() == 3 && code[0] == '2') success = code;
      }
      EXPECT_EQ(std::to_string(r.status), success) << method << " " << target << ": " << r.body;
      const std::string status = std::to_string(r.status);
      ASSERT_TRUE(op["responses"].contains(status)) << method << " " << path << " answered undocumented " << status;
      if (r.status == 204) {
        ++checked;
        continue;
      }
      const std::string content_type = r.header("content-type").substr(0, r.header("content-type").find(';'));
      const json content = op["responses"][status].value("content", json::object());
      ASSERT_TRUE(content.contains(content_type)) << method << " " << path << ": undocumented " << content_type;
      if (content_type.find("json") != std::string::npos) {
        std::vector<std::string> errors;
        validator.validate(content[content_type]["schema"], json::parse(r.body), "$", errors);
        EXPECT_TRUE(errors.empty()) << method << " " << path << ":\n"
                                    << [&] {
                                         std::string all;
                                         for (const auto& e : errors) all += e + "\n";
                                         return all;
                                       }();
      }
      ++checked;
    }
  }
  // At least the operations of this issue's routes (others add theirs to the document and the server).
  EXPECT_GE(checked, 20);
}

// Error answers of the main routes match the documented status and the Problem schema.
TEST_F(OpenApiTest, ErrorAnswersAreDocumentedProblems) {
  const json doc = load_document();
  SchemaValidator validator(doc);
  struct Case {
    std::string method, path, target, body, content_type;
  };
  const std::vector<Case> cases = {
      {"get", "/api/v1/pokemon/{id}", "/api/v1/pokemon/agumon", "", ""},
      {"get", "/api/v1/pokemon/{id}", "/api/v1/pokemon/25?level=0", "", ""},
      {"get", "/api/v1/pokemon", "/api/v1/pokemon?limit=500", "", ""},
      {"get", "/api/v1/moves/{id}", "/api/v1/moves/nothing", "", ""},
      {"get", "/api/v1/types/effectiveness", "/api/v1/types/effectiveness?attacking=Sound", "", ""},
      {"post", "/api/v1/simulate/battle", "/api/v1/simulate/battle", R"({"pokemon_1_id":25)", "application/json"},
      {"post", "/api/v1/simulate/battle", "/api/v1/simulate/battle", R"({"pokemon_1_id":25})", "application/json"},
      {"post", "/api/v1/simulate/battle", "/api/v1/simulate/battle", R"({"pokemon_1_id":"x","pokemon_2_id":1})",
       "application/json"},
      {"post", "/api/v1/simulate/odds", "/api/v1/simulate/odds", "{}", "text/plain"},
      {"post", "/api/v1/simulate/odds", "/api/v1/simulate/odds", std::string(70000, ' '), "application/json"},
      {"post", "/api/v1/predict/battle", "/api/v1/predict/battle", R"({"pokemon_1_id":25,"pokemon_2_id":6,"x":1})",
       "application/json"},
      {"post", "/api/v1/predict/best-move", "/api/v1/predict/best-move", R"({"pokemon_a_id":25})", "application/json"},
      {"post", "/api/v1/predict/best-move", "/api/v1/predict/best-move",
       R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":["notamove"]})", "application/json"},
      {"post", "/api/v1/predict/best-move", "/api/v1/predict/best-move",
       R"({"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":["flamethrower"]})", "application/json"},
      {"post", "/api/v1/predict/best-move", "/api/v1/predict/best-move", R"({"pokemon_a_id":25,"pokemon_b_id":7)",
       "application/json"},
  };
  for (const Case& c : cases) {
    const HttpResult r = c.method == "post"
                             ? call(server_->port(), http::verb::post, c.target, c.body, {}, c.content_type)
                             : get(server_->port(), c.target);
    const std::string status = std::to_string(r.status);
    const json op = doc["paths"][c.path][c.method];
    ASSERT_TRUE(op["responses"].contains(status)) << c.target << " answered undocumented " << status;
    const json content = op["responses"][status]["content"];
    ASSERT_TRUE(content.contains("application/problem+json")) << c.target << " " << status;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    std::vector<std::string> errors;
    validator.validate(content["application/problem+json"]["schema"], json::parse(r.body), "$", errors);
    EXPECT_TRUE(errors.empty()) << c.target << ": " << (errors.empty() ? "" : errors.front());
  }
}

}  // namespace
}  // namespace pdex::service::testing
