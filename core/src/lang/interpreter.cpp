// The evaluator of the Python subset. Statements run in order; every expression that raises
// gets its position attached (innermost first, as CPython's traceback reports it).
#include "logitlab/lang/interpreter.hpp"

#include <map>
#include <set>

#include "bind.hpp"
#include "builtins.hpp"
#include "python_ops.hpp"
#include "tensor_lib.hpp"
#include "logitlab/lang/parser.hpp"
#include "torch_lib.hpp"
#include "value.hpp"

namespace logitlab::lang {

namespace {

using nlohmann::json;

json number_json(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

json tensor_json(const Tensor& t, bool with_data) {
  json j = {{"dtype", dtype_name(t.dtype())}, {"shape", t.shape()}};
  if (!with_data) return j;
  if (t.is_meta()) {
    j["data"] = nullptr;
    j["meta"] = true;
    return j;
  }
  json data = json::array();
  dispatch(t.dtype(), [&]<class T>() {
    const T* base = t.storage_base<T>();
    for_each_offset(t, [&](std::int64_t off) {
      if constexpr (std::is_floating_point_v<T>) data.push_back(number_json(static_cast<double>(base[off])));
      else data.push_back(base[off]);
    });
  });
  j["data"] = std::move(data);
  return j;
}

json shape_json(const Value& v) {
  if (v.is<Tensor>()) {
    const Tensor& t = v.as<Tensor>();
    return {{"shape", t.shape()}, {"dtype", dtype_name(t.dtype())}};
  }
  return {{"type", type_name(v)}};
}

// Python's exception hierarchy, for the except clauses the subset allows.
bool exception_matches(const std::string& raised, const std::string& handler) {
  if (handler == "Exception" || handler == "BaseException" || raised == handler) return true;
  static const std::map<std::string, std::string> parent = {
      {"NotImplementedError", "RuntimeError"}, {"IndexError", "LookupError"},
      {"KeyError", "LookupError"},             {"ModuleNotFoundError", "ImportError"},
      {"ZeroDivisionError", "ArithmeticError"}, {"OverflowError", "ArithmeticError"},
      {"IndentationError", "SyntaxError"},     {"TabError", "IndentationError"},
      {"UnboundLocalError", "NameError"},
  };
  for (auto it = parent.find(raised); it != parent.end(); it = parent.find(it->second))
    if (it->second == handler) return true;
  return false;
}

const std::set<std::string>& exception_names() {
  static const std::set<std::string> names = {
      "Exception", "BaseException", "ValueError", "RuntimeError", "IndexError", "TypeError",
      "KeyError", "LookupError", "AttributeError", "NameError", "NotImplementedError",
      "ZeroDivisionError", "ArithmeticError", "ImportError", "ModuleNotFoundError", "OverflowError"};
  return names;
}

}  // namespace

struct Interpreter::Impl {
  Limits limits;
  std::uint64_t seed;
  std::map<std::string, Value> globals;
  Runtime rt;
  json trace = json::array();
  std::int64_t ops = 0;
  std::int64_t work = 0;  // tensor elements read and written so far (max_work)
  // The first tensor that exceeded max_elements and so holds only its shape: the program goes on
  // (shape errors come first), and if it ends without one, this is its answer.
  std::optional<PyError> over_budget;
  std::int64_t elements_before = Storage::live_elements();  // held by others when this run began

  void count_op() {
    if (++ops > limits.max_ops)
      raise_playground("TimeoutError", cat("the program ran more than max_ops = ", limits.max_ops,
                                           " operations; Logit Lab stopped it"));
  }

  static std::int64_t elements(const Value& v) {
    return v.is<Tensor>() && !v.as<Tensor>().is_meta() ? v.as<Tensor>().numel() : 0;
  }

  // After an operation: its tensor operands and result count against max_work, except for a
  // view (a result whose storage another tensor holds: expand, view, a contiguous tensor's
  // contiguous()...), which moves no element.
  void count_work(const Value& result, const ValueList& operands) {
    if (result.is<Tensor>() && result.as<Tensor>().storage_shared()) return;
    std::int64_t n = elements(result);
    for (const auto& v : operands) n += elements(v);
    work += n;
    if (work > limits.max_work)
      raise_playground("TimeoutError", cat("the program's tensor operations read and wrote more than max_work = ",
                                           limits.max_work, " elements; Logit Lab stopped it"));
  }

  // What the program printed stays within max_output_bytes: beyond it, the output is cut there
  // (at a character boundary) and the program stops.
  void check_output() {
    std::string& out = rt.out;
    if (static_cast<std::int64_t>(out.size()) <= limits.max_output_bytes) return;
    std::size_t keep = static_cast<std::size_t>(limits.max_output_bytes);
    while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
    out.resize(keep);
    raise_playground("MemoryError", cat("the program printed more than max_output_bytes = ", limits.max_output_bytes,
                                        " bytes; Logit Lab stopped it there"));
  }

  // ---------------------------------------------------------------- statements

  void exec_block(const std::vector<StmtPtr>& body) {
    for (const auto& s : body) exec_stmt(*s);
  }

  void exec_stmt(const Stmt& s) {
    try {
      count_op();
      switch (s.kind) {
        case StmtKind::Import: return exec_import(s);
        case StmtKind::ImportFrom: return exec_import_from(s);
        case StmtKind::Assign: {
          Value v = eval(*s.value);
          for (const auto& t : s.targets) assign(*t, v);
          return;
        }
        case StmtKind::ExprStmt: eval(*s.value); return;
        case StmtKind::Pass: return;
        case StmtKind::Try: return exec_try(s);
        case StmtKind::AugAssign: {
          const Expr& target = *s.targets[0];
          if (target.kind != ExprKind::Name)
            raise_not_implemented("Logit Lab supports augmented assignment (like '+=') only to plain names");
          const Value current = lookup(target.text);
          if (current.is<Tensor>())
            raise_not_implemented("Logit Lab does not support in-place tensor operations like '+=' yet");
          globals[target.text] = binary_op(s.text, current, eval(*s.value), rt);
          return;
        }
        case StmtKind::If:
          if (truthy(eval(*s.value))) exec_block(s.body);
          else exec_block(s.orelse);
          return;
        case StmtKind::Unsupported: raise_not_implemented(cat("Logit Lab does not support ", s.text, " yet"));
      }
    } catch (PyError& e) {
      e.set_position_if_unset(s.line, s.col);
      throw;
    }
  }

  static std::optional<std::string> torch_module_name(const std::string& dotted) {
    if (dotted == "torch" || dotted == "torch.nn" || dotted == "torch.nn.functional") return dotted;
    return std::nullopt;
  }

  void exec_import(const Stmt& s) {
    for (const auto& [module, asname] : s.names) {
      if (!torch_module_name(module))
        raise_not_implemented(cat("Logit Lab does not support importing '", module,
                                  "' yet; torch, torch.nn and torch.nn.functional are available"));
      if (!asname.empty()) globals[asname] = ModuleV{module};
      else globals["torch"] = ModuleV{"torch"};  // `import torch.nn` binds the top-level name
    }
  }

  void exec_import_from(const Stmt& s) {
    if (!torch_module_name(s.module))
      raise_not_implemented(cat("Logit Lab does not support importing from '", s.module,
                                "' yet; torch, torch.nn and torch.nn.functional are available"));
    for (const auto& [name, asname] : s.names) {
      Value v;
      try {
        v = torch_module_attr(s.module, name);
      } catch (PyError& e) {
        if (e.type() != "AttributeError") throw;
        raise("ImportError", cat("cannot import name '", name, "' from '", s.module, "'"));
      }
      globals[asname.empty() ? name : asname] = v;
    }
  }

  void exec_try(const Stmt& s) {
    bool raised = false;
    try {
      exec_block(s.body);
    } catch (PyError& e) {
      if (e.playground) throw;
      raised = true;
      const ExceptHandler* handler = nullptr;
      for (const auto& h : s.handlers) {
        if (!h.type) {
          handler = &h;
          break;
        }
        if (handler_matches(*h.type, e.type())) {
          handler = &h;
          break;
        }
      }
      if (!handler) throw;
      if (!handler->name.empty()) globals[handler->name] = ExceptionV{e.type(), e.message()};
      exec_block(handler->body);
      if (!handler->name.empty()) globals.erase(handler->name);  // Python deletes `e` after the handler
    }
    if (!raised) exec_block(s.orelse);
    if (!s.finalbody.empty()) raise_not_implemented("Logit Lab does not support 'finally' yet");
  }

  static bool handler_matches(const Expr& type, const std::string& raised) {
    if (type.kind == ExprKind::Tuple) {
      for (const auto& item : type.items)
        if (handler_matches(*item, raised)) return true;
      return false;
    }
    if (type.kind != ExprKind::Name || !exception_names().count(type.text))
      raise_not_implemented("Logit Lab supports only built-in exception names in 'except' clauses");
    return exception_matches(raised, type.text);
  }

  void assign(const Expr& target, const Value& v) {
    switch (target.kind) {
      case ExprKind::Name: globals[target.text] = v; return;
      case ExprKind::Tuple:
      case ExprKind::List: {
        if (!(v.is<TupleV>() || v.is<ListV>() || v.is<SizeV>() || v.is<std::string>() || v.is<Tensor>() || v.is<RangeV>() || v.is<NamedTupleV>()))
          raise_type(cat("cannot unpack non-iterable ", type_name(v), " object"));
        const ValueList items = iterate(v);
        const std::size_t want = target.items.size();
        if (items.size() > want) raise_value(cat("too many values to unpack (expected ", want, ")"));
        if (items.size() < want)
          raise_value(cat("not enough values to unpack (expected ", want, ", got ", items.size(), ")"));
        for (std::size_t i = 0; i < want; ++i) assign(*target.items[i], items[i]);
        return;
      }
      case ExprKind::Subscript:
        raise_not_implemented("Logit Lab does not support assigning to an index (like 'x[0] = ...') yet");
      case ExprKind::Attribute:
        raise_not_implemented("Logit Lab does not support assigning to an attribute yet");
      default: raise_not_implemented("Logit Lab does not support this assignment target yet");
    }
  }

  // ---------------------------------------------------------------- expressions

  Value eval(const Expr& e) {
    try {
      return eval_inner(e);
    } catch (PyError& err) {
      err.set_position_if_unset(e.line, e.col);
      throw;
    }
  }

  Value eval_inner(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Name: return lookup(e.text);
      case ExprKind::Int:
        if (!e.big_int_text.empty())
          raise_not_implemented("Logit Lab does not support integers beyond 64 bits yet");
        return e.int_value;
      case ExprKind::Float: return e.float_value;
      case ExprKind::Str: return e.text;
      case ExprKind::Bool: return e.bool_value;
      case ExprKind::None: return NoneV{};
      case ExprKind::Ellipsis: return EllipsisV{};
      case ExprKind::Tuple:
      case ExprKind::List: {
        auto items = std::make_shared<ValueList>();
        for (const auto& item : e.items) items->push_back(eval(*item));
        if (e.kind == ExprKind::Tuple) return TupleV{items};
        return ListV{items};
      }
      case ExprKind::FString: {
        std::string text;
        for (const auto& part : e.items) text += part->kind == ExprKind::Str ? part->text : py_str(eval(*part));
        return text;
      }
      case ExprKind::FormattedValue: {
        Value v = eval(*e.a);
        if (e.conversion == 'r' || e.conversion == 'a') v = py_repr(v);
        else if (e.conversion == 's') v = py_str(v);
        return format_value(v, e.text);
      }
      case ExprKind::Attribute: return attribute(eval(*e.a), e.text);
      case ExprKind::Call: return call(e);
      case ExprKind::Subscript: return subscript(eval(*e.a), eval_index(*e.b));
      case ExprKind::Slice: return eval_slice(e);
      case ExprKind::BinOp: {
        Value a = eval(*e.a);
        Value b = eval(*e.b);
        count_op();
        Value r = binary_op(e.text, a, b, rt);
        count_work(r, {a, b});
        return r;
      }
      case ExprKind::UnaryOp: return unary_op(e.text, eval(*e.a));
      case ExprKind::Compare: {
        Value left = eval(*e.a);
        Value result = true;
        for (std::size_t i = 0; i < e.ops.size(); ++i) {
          Value right = eval(*e.items[i]);
          result = compare_op(e.ops[i], left, right);
          if (i + 1 < e.ops.size() && !truthy(result)) return result;
          left = std::move(right);
        }
        return result;
      }
      case ExprKind::BoolOp: {
        Value v;
        for (const auto& item : e.items) {
          v = eval(*item);
          const bool t = truthy(v);
          if (e.text == "and" ? !t : t) return v;
        }
        return v;
      }
      case ExprKind::IfExp: return truthy(eval(*e.a)) ? eval(*e.b) : eval(*e.c);
    }
    raise_not_implemented("Logit Lab does not support this kind of expression yet");
  }

  Value eval_slice(const Expr& e) {
    auto part = [&](const ExprPtr& p) -> std::optional<std::int64_t> {
      if (!p) return std::nullopt;
      Value v = eval(*p);
      if (v.is<NoneV>()) return std::nullopt;
      if (v.is<std::int64_t>()) return v.as<std::int64_t>();
      if (v.is<bool>()) return v.as<bool>() ? 1 : 0;
      if (v.is<Tensor>() && v.as<Tensor>().numel() == 1 && !is_floating(v.as<Tensor>().dtype()))
        return std::get<std::int64_t>(tensor_item(v.as<Tensor>()).v);
      raise_type("slice indices must be integers or None or have an __index__ method");
    };
    return SliceV{part(e.a), part(e.b), part(e.c)};
  }

  Value eval_index(const Expr& e) { return eval(e); }

  Value lookup(const std::string& name) {
    if (auto it = globals.find(name); it != globals.end()) return it->second;
    if (auto b = builtin(name)) return *b;
    raise("NameError", cat("name '", name, "' is not defined"));
  }

  Value attribute(const Value& obj, const std::string& name) {
    if (obj.is<ModuleV>()) return torch_module_attr(obj.as<ModuleV>().name, name);
    if (obj.is<Tensor>()) return tensor_attribute(obj.as<Tensor>(), name);
    return python_attribute(obj, name);
  }

  Value call(const Expr& e) {
    const Value callee = eval(*e.a);
    CallArgs args;
    for (const auto& a : e.items) args.positional.push_back(eval(*a));
    for (const auto& k : e.keywords) args.keywords.emplace_back(k.name, eval(*k.value));
    args.rt = &rt;
    if (callee.is<ObjectV>() && callee.as<ObjectV>().call) {
      count_op();
      Value r = callee.as<ObjectV>().call(args);
      check_output();
      count_work(r, args.positional);
      return r;
    }
    if (!callee.is<FunctionV>()) raise_type(cat("'", type_name(callee), "' object is not callable"));
    const FunctionV& f = callee.as<FunctionV>();
    count_op();
    if (!f.traced) {
      Value r = f.call(args);
      check_output();
      count_work(r, args.positional);
      return r;
    }
    json entry = {{"line", e.line}, {"op", f.name}, {"args", json::array()}, {"error", nullptr}};
    for (const auto& v : args.positional) entry["args"].push_back(shape_json(v));
    for (const auto& [k, v] : args.keywords)
      if (v.is<Tensor>()) {
        json arg = shape_json(v);
        arg["name"] = k;
        entry["args"].push_back(std::move(arg));
      }
    try {
      Value r = f.call(args);
      check_output();
      if (r.is<Tensor>()) {
        const Tensor& t = r.as<Tensor>();
        if (t.is_meta() && t.numel() > limits.max_elements && !over_budget) {
          over_budget = PyError("MemoryError", cat("the tensor made by ", f.name, " on line ", e.line, " has ", t.numel(),
                                                   " elements, more than Logit Lab's budget of max_elements = ",
                                                   limits.max_elements, "; Logit Lab checked the shapes of the whole "
                                                   "program, but cannot compute values this large"));
          over_budget->playground = true;
          over_budget->line = e.line;
          over_budget->col = e.col;
        }
        check_budget(t);
        entry["result"] = shape_json(r);
      }
      count_work(r, args.positional);  // after the budget of elements, which names the bigger problem
      trace.push_back(std::move(entry));
      return r;
    } catch (PyError& err) {
      entry["error"] = {{"type", err.type()}, {"message", err.message()}};
      trace.push_back(std::move(entry));
      throw;
    }
  }

  // Live elements: those of every tensor storage alive now (in variables, in lists and tuples,
  // in temporaries, the new result included), less those alive before this run began; and the
  // new result's own count, so that a view larger than the budget (an expand) is refused too,
  // since anything reading it would read that many elements.
  void check_budget(const Tensor& fresh) {
    if (fresh.is_meta()) return;  // shape only: holds no elements
    const std::int64_t live = std::max(Storage::live_elements() - elements_before, fresh.numel());
    if (live > limits.max_elements)
      raise_playground("MemoryError", cat("this program needs ", live,
                                          " live tensor elements, more than Logit Lab's budget of max_elements = ",
                                          limits.max_elements));
  }
};

Interpreter::Interpreter(Limits limits, std::uint64_t seed) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->seed = seed;
  impl_->rt.rng.seed(seed);
  impl_->rt.max_elements = limits.max_elements;
  impl_->globals["torch"] = ModuleV{"torch"};
  impl_->globals["F"] = ModuleV{"torch.nn.functional"};
  impl_->globals["nn"] = ModuleV{"torch.nn"};
}

Interpreter::~Interpreter() = default;

void Interpreter::bind(const std::string& name, Tensor value) { impl_->globals[name] = std::move(value); }

ExecResult Interpreter::exec(const std::string& code) {
  ExecResult r;
  try {
    if (static_cast<std::int64_t>(code.size()) > impl_->limits.max_code_bytes)
      raise_playground("MemoryError", cat("the program is ", code.size(), " bytes long, more than Logit Lab's limit of "
                                          "max_code_bytes = ", impl_->limits.max_code_bytes));
    const Module m = parse(code);
    impl_->exec_block(m.body);
    if (impl_->over_budget) throw *impl_->over_budget;
  } catch (PyError& e) {
    r.error = e;
  }
  r.stdout_text = impl_->rt.out;
  r.trace = impl_->trace;
  r.warnings = impl_->rt.warnings;
  return r;
}

json Interpreter::value_json(const std::string& name) const {
  auto it = impl_->globals.find(name);
  if (it == impl_->globals.end()) return nullptr;
  const Value& v = it->second;
  if (v.is<Tensor>()) return tensor_json(v.as<Tensor>(), true);
  if (v.is<bool>()) return {{"dtype", "py_bool"}, {"shape", nullptr}, {"data", v.as<bool>()}};
  if (v.is<std::int64_t>()) return {{"dtype", "py_int"}, {"shape", nullptr}, {"data", v.as<std::int64_t>()}};
  if (v.is<double>()) return {{"dtype", "py_float"}, {"shape", nullptr}, {"data", number_json(v.as<double>())}};
  if (v.is<std::string>()) return {{"dtype", "py_str"}, {"shape", nullptr}, {"data", v.as<std::string>()}};
  if (v.is<SizeV>()) return {{"dtype", "size"}, {"shape", nullptr}, {"data", v.as<SizeV>().dims}};
  if (v.is<DTypeV>())
    return {{"dtype", "torch_dtype"}, {"shape", nullptr}, {"data", torch_dtype_repr(v.as<DTypeV>().dtype)}};
  try {
    return {{"dtype", "repr"}, {"shape", nullptr}, {"data", py_repr(v)}};
  } catch (const PyError&) {
    return {{"dtype", "repr"}, {"shape", nullptr}, {"data", nullptr}};
  }
}

std::optional<Tensor> Interpreter::gradient(const std::string& output, const std::string& of) const {
  auto out = impl_->globals.find(output);
  auto wrt = impl_->globals.find(of);
  if (out == impl_->globals.end() || wrt == impl_->globals.end()) return std::nullopt;
  if (!out->second.is<Tensor>() || !wrt->second.is<Tensor>()) return std::nullopt;
  const Tensor& target = wrt->second.as<Tensor>();
  Tensor t = out->second.as<Tensor>();
  Tensor grad = Tensor::full(t.dtype(), t.shape(), 1.0);
  while (true) {
    if (t.shares_storage_with(target) && t.shape() == target.shape() && t.offset() == target.offset()) return grad;
    if (!t.grad_fn()) return std::nullopt;
    const auto fn = t.grad_fn();  // keep it alive while t is replaced
    grad = fn->backward(grad);
    t = *fn->input;
  }
}

json Interpreter::variables_json() const {
  json vars = json::object();
  for (const auto& [name, v] : impl_->globals)
    if (v.is<Tensor>()) vars[name] = tensor_json(v.as<Tensor>(), false);
  return vars;
}

}  // namespace logitlab::lang
