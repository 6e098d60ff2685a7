#pragma once
// Runtime values of the Python subset.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "logitlab/dtype.hpp"
#include "logitlab/tensor.hpp"

namespace logitlab::lang {

struct Value;
using ValueList = std::vector<Value>;

struct NoneV {};
struct ModuleV {
  std::string name;  // "torch", "torch.nn", "torch.nn.functional"
};
struct KwArg {
  std::string name;
  std::shared_ptr<Value> value;
};
struct CallArgs;
struct FunctionV {
  std::string name;  // as Python names it in messages, e.g. "cross_entropy", "print"
  std::function<Value(CallArgs&)> call;
  bool traced = false;  // a torch op: each call goes into the response's trace
};
struct ExceptionV {
  std::string type;
  std::string message;
};
struct TupleV {
  std::shared_ptr<ValueList> items;
};
struct ListV {
  std::shared_ptr<ValueList> items;
};
struct DTypeV {
  DType dtype;
};

struct Value {
  std::variant<NoneV, bool, std::int64_t, double, std::string, Tensor, ModuleV, FunctionV, ExceptionV,
               TupleV, ListV, DTypeV>
      v;

  Value() : v(NoneV{}) {}
  template <class T>
  Value(T x) : v(std::move(x)) {}  // NOLINT: implicit on purpose, values are built everywhere
  Value(int x) : v(static_cast<std::int64_t>(x)) {}
  Value(const char* s) : v(std::string(s)) {}

  template <class T> bool is() const { return std::holds_alternative<T>(v); }
  template <class T> const T& as() const { return std::get<T>(v); }
};

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  std::vector<std::string>* warnings = nullptr;  // UserWarnings the call emits (Python's stderr)
  std::string* out = nullptr;                    // the program's stdout, for print
};

// Python's type name, as in "'int' object has no attribute 'x'".
std::string type_name(const Value& v);
// str() and repr() as Python and PyTorch print them.
std::string py_str(const Value& v);
std::string py_repr(const Value& v);

}  // namespace logitlab::lang
