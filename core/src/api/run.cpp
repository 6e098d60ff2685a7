// The protocol (DESIGN.md): validate a request, bind its inputs, run the program, answer.
#include <cmath>
#include <limits>
#include <new>

#include "logitlab/api.hpp"
#include "logitlab/error.hpp"
#include "logitlab/lang/interpreter.hpp"

namespace logitlab {
namespace {

using nlohmann::json;

[[noreturn]] void bad_request(const std::string& message) { throw RequestError{message}; }

constexpr std::int64_t kMaxDims = 64;  // PyTorch's own limit on tensor rank

Shape parse_shape(const std::string& where, const json& j) {
  if (!j.is_array()) bad_request(where + ".shape must be an array of non-negative integers");
  if (static_cast<std::int64_t>(j.size()) > kMaxDims)
    bad_request(cat(where, ".shape has ", j.size(), " dimensions; at most ", kMaxDims, " are allowed"));
  Shape shape;
  std::int64_t numel = 1;
  for (const auto& d : j) {
    if (!d.is_number_integer() || d.get<std::int64_t>() < 0 || (d.is_number_unsigned() && d.get<std::uint64_t>() > (1ULL << 62)))
      bad_request(where + ".shape must be an array of non-negative integers");
    const auto s = d.get<std::int64_t>();
    if (s != 0 && numel > std::numeric_limits<std::int64_t>::max() / s)
      bad_request(where + ".shape has more elements than a tensor can hold");
    numel *= s;
    shape.push_back(s);
  }
  return shape;
}

double parse_float(const std::string& where, const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  bad_request(where + " must be a number or one of \"nan\", \"inf\", \"-inf\"");
}

std::int64_t parse_int(const std::string& where, const json& v, DType dtype) {
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
    bad_request(where + " must be an integer");
  const auto i = v.get<std::int64_t>();
  if (dtype == DType::Int32 && (i < std::numeric_limits<std::int32_t>::min() || i > std::numeric_limits<std::int32_t>::max()))
    bad_request(where + " does not fit in int32");
  return i;
}

}  // namespace

Tensor parse_input(const std::string& name, const json& j, std::int64_t max_elements) {
  const std::string where = "inputs." + name;
  if (!j.is_object()) bad_request(where + " must be an object with \"dtype\", \"shape\" and \"data\"");
  if (!j.contains("dtype") || !j["dtype"].is_string()) bad_request(where + ".dtype is required");
  const auto dtype = dtype_from_name(j["dtype"].get<std::string>());
  if (!dtype) bad_request(where + ".dtype must be one of float32, float64, int64, int32, bool");
  if (!j.contains("shape")) bad_request(where + ".shape is required");
  Shape shape = parse_shape(where, j["shape"]);
  const std::int64_t numel = shape_numel(shape);
  if (!j.contains("data") || j["data"].is_null()) return Tensor::empty(*dtype, std::move(shape), /*meta=*/true);
  const json& data = j["data"];
  if (!data.is_array()) bad_request(where + ".data must be a flat array");
  if (static_cast<std::int64_t>(data.size()) != numel)
    bad_request(cat(where, ".data has ", data.size(), " values but shape ", ShapeStr{shape}, " needs ", numel));
  if (numel > max_elements)
    bad_request(cat(where, " has ", numel, " elements, more than max_elements = ", max_elements));
  Tensor t = Tensor::empty(*dtype, std::move(shape));
  dispatch(*dtype, [&]<class T>() {
    T* p = t.data<T>();
    for (std::int64_t i = 0; i < numel; ++i) {
      const json& v = data[static_cast<std::size_t>(i)];
      const std::string at = cat(where, ".data[", i, "]");
      if constexpr (std::is_same_v<T, bool>) {
        if (v.is_boolean()) p[i] = v.get<bool>();
        else if (v.is_number_integer() && (v.get<std::int64_t>() == 0 || v.get<std::int64_t>() == 1)) p[i] = v.get<std::int64_t>() == 1;
        else bad_request(at + " must be true or false");
      } else if constexpr (std::is_floating_point_v<T>) {
        p[i] = static_cast<T>(parse_float(at, v));
      } else {
        p[i] = static_cast<T>(parse_int(at, v, *dtype));
      }
    }
  });
  return t;
}

namespace {

std::int64_t positive_int(const json& request, const char* key, std::int64_t fallback) {
  if (!request.contains(key)) return fallback;
  const json& v = request[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) bad_request(cat(key, " must be a positive integer"));
  return v.get<std::int64_t>();
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

json internal_failure(const char* type, const std::string& message) {
  return {{"stdout", ""},
          {"error", {{"type", type}, {"message", message}, {"line", 0}, {"col", 0}}},
          {"trace", json::array()},
          {"warnings", json::array()}};
}

json error_json(const PyError& e) {
  return {{"type", e.type()}, {"message", e.message()}, {"line", e.line}, {"col", e.col}};
}

}  // namespace

json run(const json& request) {
  if (!request.is_object()) bad_request("the request must be a JSON object");
  if (!request.contains("code") || !request["code"].is_string())
    bad_request("the request needs \"code\": a string holding the program");
  lang::Limits limits;
  limits.max_elements = positive_int(request, "max_elements", limits.max_elements);
  limits.max_ops = positive_int(request, "max_ops", limits.max_ops);
  limits.max_code_bytes = positive_int(request, "max_code_bytes", limits.max_code_bytes);
  limits.max_output_bytes = positive_int(request, "max_output_bytes", limits.max_output_bytes);
  limits.max_work = positive_int(request, "max_work", limits.max_work);
  std::uint64_t seed = 0;
  if (request.contains("seed")) {
    if (!request["seed"].is_number_integer()) bad_request("seed must be an integer");
    seed = request["seed"].get<std::uint64_t>();
  }
  std::vector<std::string> outputs;
  if (request.contains("outputs")) {
    if (!request["outputs"].is_array()) bad_request("outputs must be an array of variable names");
    for (const auto& o : request["outputs"]) {
      if (!o.is_string()) bad_request("outputs must be an array of variable names");
      outputs.push_back(o.get<std::string>());
    }
  }
  lang::Interpreter interpreter(limits, seed);
  if (request.contains("inputs")) {
    const json& inputs = request["inputs"];
    if (!inputs.is_object()) bad_request("inputs must be an object mapping names to tensors");
    for (const auto& [name, spec] : inputs.items()) {
      if (!is_identifier(name)) bad_request(cat("inputs: '", name, "' is not a valid Python name"));
      interpreter.bind(name, parse_input(name, spec, limits.max_elements));
    }
  }

  json response;
  try {
    lang::ExecResult r = interpreter.exec(request["code"].get<std::string>());
    response["stdout"] = r.stdout_text;
    response["error"] = r.error ? error_json(*r.error) : json(nullptr);
    response["trace"] = std::move(r.trace);
    response["warnings"] = r.warnings;
  } catch (const std::bad_alloc&) {
    response = internal_failure("MemoryError", "Logit Lab ran out of memory running this program");
  } catch (const std::exception& e) {
    // A bug of Logit Lab, never of the program: say so rather than crash.
    response = internal_failure("InternalError", std::string("Logit Lab failed internally: ") + e.what());
  }
  json values = json::object();
  for (const auto& name : outputs) values[name] = interpreter.value_json(name);
  response["values"] = std::move(values);
  response["variables"] = interpreter.variables_json();
  return response;
}

RunTextResult run_text(std::string_view request_json) {
  if (request_json.size() > kMaxRequestBytes)
    return {false, cat("the request is ", request_json.size(), " bytes long, more than Logit Lab's limit of ",
                       kMaxRequestBytes, " bytes (max_request_bytes)")};
  try {
    const json parsed = json::parse(request_json, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return {false, "the request is not valid JSON"};
    return {true, run(parsed).dump(-1, ' ', false, json::error_handler_t::replace)};
  } catch (const RequestError& e) {
    return {false, e.message};
  } catch (const std::bad_alloc&) {
    // Memory ran out outside the program (reading the request or writing the response): still
    // an answer, as the program's own exhaustion is (run()).
    json response = internal_failure("MemoryError", "Logit Lab ran out of memory running this program");
    response["values"] = json::object();
    response["variables"] = json::object();
    return {true, response.dump()};
  } catch (const std::exception& e) {
    return {false, std::string("Logit Lab internal error: ") + e.what()};
  }
}

}  // namespace logitlab
