#include "bind.hpp"

#include "logitlab/error.hpp"

namespace logitlab::lang {
namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// CPython's list of names: 'a', 'a' and 'b', 'a', 'b', and 'c'.
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    out += "'" + names[i] + "'";
  }
  return out;
}

[[noreturn]] void wrong_type(const std::string& fname, const std::string& pname, int position,
                             const char* expected, const Value& v) {
  raise_type(cat(fname, "(): argument '", pname, "' (position ", position, ") must be ", expected,
                 ", not ", type_name(v)));
}

}  // namespace

std::vector<Value> bind_python(const std::string& fname, const std::vector<Param>& params, const CallArgs& args) {
  std::size_t required = 0;
  for (const auto& p : params)
    if (!p.default_value) ++required;
  const std::size_t given = args.positional.size();
  if (given > params.size()) {
    const std::string takes = required == params.size()
                                  ? std::to_string(params.size())
                                  : cat("from ", required, " to ", params.size());
    raise_type(cat(fname, "() takes ", takes, " positional argument", params.size() == 1 ? "" : "s",
                   " but ", given, given == 1 ? " was" : " were", " given"));
  }
  std::vector<std::optional<Value>> bound(params.size());
  for (std::size_t i = 0; i < given; ++i) bound[i] = args.positional[i];
  for (const auto& [name, value] : args.keywords) {
    std::size_t i = 0;
    while (i < params.size() && params[i].name != name) ++i;
    if (i == params.size()) raise_type(cat(fname, "() got an unexpected keyword argument '", name, "'"));
    if (bound[i]) raise_type(cat(fname, "() got multiple values for argument '", name, "'"));
    bound[i] = value;
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!bound[i] && !params[i].default_value) missing.push_back(params[i].name);
  if (!missing.empty())
    raise_type(cat(fname, "() missing ", plural(missing.size(), "required positional argument"), ": ",
                   name_list(missing)));
  std::vector<Value> out;
  out.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) out.push_back(bound[i] ? *bound[i] : *params[i].default_value);
  return out;
}

Tensor arg_tensor(const std::string& fname, const std::string& pname, int position, const Value& v) {
  if (!v.is<Tensor>()) wrong_type(fname, pname, position, "Tensor", v);
  return v.as<Tensor>();
}

Tensor arg_optional_tensor(const std::string& fname, const std::string& pname, int position, const Value& v) {
  if (v.is<NoneV>()) return {};
  return arg_tensor(fname, pname, position, v);
}

std::int64_t arg_int(const std::string& fname, const std::string& pname, int position, const Value& v) {
  // PyTorch's int parameters reject bool (ignore_index=True is a TypeError); float ones accept it.
  if (v.is<std::int64_t>()) return v.as<std::int64_t>();
  wrong_type(fname, pname, position, "int", v);
}

double arg_float(const std::string& fname, const std::string& pname, int position, const Value& v) {
  if (v.is<double>()) return v.as<double>();
  if (v.is<std::int64_t>()) return static_cast<double>(v.as<std::int64_t>());
  if (v.is<bool>()) return v.as<bool>() ? 1.0 : 0.0;
  wrong_type(fname, pname, position, "float", v);
}

bool truthy(const Value& v) {
  if (v.is<NoneV>()) return false;
  if (v.is<bool>()) return v.as<bool>();
  if (v.is<std::int64_t>()) return v.as<std::int64_t>() != 0;
  if (v.is<double>()) return v.as<double>() != 0.0;
  if (v.is<std::string>()) return !v.as<std::string>().empty();
  if (v.is<TupleV>()) return !v.as<TupleV>().items->empty();
  if (v.is<ListV>()) return !v.as<ListV>().items->empty();
  if (v.is<Tensor>()) {
    const Tensor& t = v.as<Tensor>();
    if (t.numel() != 1) raise_runtime("Boolean value of Tensor with more than one value is ambiguous");
    if (t.is_meta())
      raise_playground("MemoryError", "Logit Lab cannot decide the truth of a shape-only tensor (past the "
                                      "max_elements budget, or an input given without data)");
    return t.item_as_double(0) != 0.0;
  }
  return true;
}

}  // namespace logitlab::lang
