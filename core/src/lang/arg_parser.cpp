#include "arg_parser.hpp"

#include <map>

#include "logitlab/error.hpp"

namespace logitlab::lang {
namespace {

struct Param {
  std::string type;  // without '?'
  std::string name;
  bool optional = false;  // has a default
  bool nullable = false;  // '?': None accepted
  bool kwonly = false;
  Value default_value;
};

struct Signature {
  std::string display;
  std::vector<Param> params;
  std::size_t max_pos = 0, min_args = 0;
};

Value parse_default(const std::string& d) {
  if (d == "None") return NoneV{};
  if (d == "False") return false;
  if (d == "True") return true;
  if (d.find('.') != std::string::npos) return std::stod(d);
  if (!d.empty() && (isdigit(static_cast<unsigned char>(d[0])) || d[0] == '-')) return static_cast<std::int64_t>(std::stoll(d));
  return d;
}

Signature parse_signature(const std::string& text) {
  Signature s;
  bool kwonly = false;
  std::size_t start = 0;
  std::vector<std::string> shown;
  while (start < text.size()) {
    std::size_t end = text.find(", ", start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    start = end + 2;
    if (part == "*") {
      kwonly = true;
      shown.push_back("*");
      continue;
    }
    Param p;
    p.kwonly = kwonly;
    if (auto eq = part.find('='); eq != std::string::npos) {
      p.optional = true;
      p.default_value = parse_default(part.substr(eq + 1));
      part = part.substr(0, eq);
    }
    const auto sp = part.rfind(' ');
    p.type = part.substr(0, sp);
    p.name = part.substr(sp + 1);
    if (!p.type.empty() && p.type.back() == '?') {
      p.type.pop_back();
      p.nullable = true;
    }
    shown.push_back((p.type == "intlist1" ? std::string("tuple of ints") : p.type) + " " + p.name);
    if (!p.kwonly) ++s.max_pos;
    if (!p.optional) ++s.min_args;
    s.params.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < shown.size(); ++i) s.display += (i ? ", " : "") + shown[i];
  return s;
}

std::string display_type(const std::string& t) { return t == "intlist1" ? "tuple of ints" : t; }

bool is_int(const Value& v) { return v.is<std::int64_t>(); }

bool is_int_list(const Value& v, bool allow_single) {
  if (is_int(v)) return allow_single;
  if (v.is<SizeV>()) return true;
  const ValueList* items = v.is<TupleV>() ? v.as<TupleV>().items.get() : v.is<ListV>() ? v.as<ListV>().items.get() : nullptr;
  if (!items) return false;
  for (const auto& x : *items) {
    if (is_int(x)) continue;
    if (x.is<Tensor>() && x.as<Tensor>().dim() == 0 && is_integral(x.as<Tensor>().dtype(), false)) continue;
    return false;
  }
  return true;
}

bool check(const Param& p, const Value& v) {
  if (v.is<NoneV>()) return p.nullable || (p.optional && p.default_value.is<NoneV>());
  const std::string& t = p.type;
  if (t == "Tensor") return v.is<Tensor>();
  if (t == "int") return is_int(v) || (v.is<Tensor>() && v.as<Tensor>().dim() == 0 && is_integral(v.as<Tensor>().dtype(), false));
  if (t == "float") return is_int(v) || v.is<double>() || v.is<bool>() || (v.is<Tensor>() && v.as<Tensor>().dim() == 0);
  if (t == "bool") return v.is<bool>();
  if (t == "torch.dtype") return v.is<DTypeV>();
  if (t == "tuple of ints" || t == "tuple of SymInts") return is_int_list(v, false);
  if (t == "intlist1") return is_int_list(v, true);
  if (t == "object") return true;
  if (t == "tuple of Tensors") {
    const ValueList* items = v.is<TupleV>() ? v.as<TupleV>().items.get() : v.is<ListV>() ? v.as<ListV>().items.get() : nullptr;
    return items != nullptr;  // element types are checked by the op ("expected Tensor as element 0 ...")
  }
  if (t == "Number") return is_int(v) || v.is<double>() || v.is<bool>() || (v.is<Tensor>() && v.as<Tensor>().dim() == 0);
  if (t == "str" || t == "name") return v.is<std::string>();
  if (t == "tuple of names") {
    if (v.is<std::string>()) return true;
    const ValueList* items = v.is<TupleV>() ? v.as<TupleV>().items.get() : v.is<ListV>() ? v.as<ListV>().items.get() : nullptr;
    if (!items || items->empty()) return false;
    for (const auto& x : *items)
      if (!x.is<std::string>()) return false;
    return true;
  }
  if (t == "Device") return v.is<std::string>();
  return false;  // name, Generator, ...
}

std::string alias(const std::string& k) {
  if (k == "axis") return "dim";
  if (k == "keepdims") return "keepdim";
  return k;
}

// One signature; on failure either throws (raise) or returns false.
bool try_parse(const std::string& fname, const Signature& s, const CallArgs& a, bool raise_errors, ParsedArgs& out) {
  const std::size_t nargs = a.positional.size();
  const bool varargs_intlist =
      s.max_pos == 1 && (s.params[0].type == "tuple of ints" || s.params[0].type == "tuple of SymInts");
  auto fail = [&](const std::string& m) -> bool {
    if (raise_errors) raise_type(m);
    return false;
  };
  if (nargs > s.max_pos && !varargs_intlist) {
    if (!raise_errors) return false;
    const std::string takes = s.min_args == s.max_pos ? std::to_string(s.max_pos) : cat("from ", s.min_args, " to ", s.max_pos);
    return fail(cat(fname, "() takes ", takes, " positional argument", s.max_pos == 1 ? "" : "s", " but ", nargs,
                    nargs == 1 ? " was" : " were", " given"));
  }
  out.values.assign(s.params.size(), Value());
  out.names.clear();
  out.types.clear();
  for (const auto& p : s.params) {
    out.names.push_back(p.name);
    out.types.push_back(p.type);
  }
  out.given.assign(s.params.size(), false);
  std::vector<bool> used_kw(a.keywords.size(), false);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const Param& p = s.params[i];
    const Value* v = nullptr;
    bool is_kw = false;
    if (pos < nargs && !p.kwonly) {
      v = &a.positional[pos];
    } else if (pos < nargs && p.kwonly) {
      return fail(cat(fname, "() takes ", s.max_pos, " positional argument", s.max_pos == 1 ? "" : "s", " but ", nargs,
                      nargs == 1 ? " was" : " were", " given"));
    } else {
      for (std::size_t k = 0; k < a.keywords.size(); ++k)
        if (alias(a.keywords[k].first) == p.name || a.keywords[k].first == p.name) {
          v = &a.keywords[k].second;
          used_kw[k] = true;
          is_kw = true;
        }
    }
    if (!v) {
      if (!p.optional && !p.nullable) {
        if (!raise_errors) return false;
        std::vector<std::string> missing;
        for (std::size_t j = i; j < s.params.size(); ++j)
          if (!s.params[j].optional && !s.params[j].nullable) missing.push_back(s.params[j].name);
        std::string names;
        for (std::size_t j = 0; j < missing.size(); ++j) names += (j ? ", \"" : "\"") + missing[j] + "\"";
        // torch's missing_args pluralises the wrong way round (a known 1.13 wording).
        return fail(cat(fname, "() missing ", missing.size(), " required positional argument",
                        missing.size() == 1 ? "s" : "", ": ", names));
      }
      out.values[i] = p.default_value;
      continue;
    }
    if (check(p, *v)) {
      out.values[i] = *v;
      out.given[i] = true;
      if (!is_kw) ++pos;
      continue;
    }
    if (varargs_intlist && pos == 0 && !is_kw && is_int(*v)) {
      auto items = std::make_shared<ValueList>(a.positional.begin(), a.positional.end());
      out.values[i] = TupleV{items};
      out.given[i] = true;
      pos = nargs;
      for (const auto& x : *items)
        if (!is_int(x)) {
          if (!raise_errors) return false;
          return fail(cat(fname, "(): argument '", p.name, "' must be ", display_type(p.type), ", but found element of type ",
                          type_name(x), " at pos 1"));
        }
      continue;
    }
    if (!raise_errors) return false;
    if (is_kw) return fail(cat(fname, "(): argument '", p.name, "' must be ", display_type(p.type), ", not ", type_name(*v)));
    return fail(cat(fname, "(): argument '", p.name, "' (position ", pos + 1, ") must be ", display_type(p.type), ", not ",
                    type_name(*v)));
  }
  for (std::size_t k = 0; k < a.keywords.size(); ++k)
    if (!used_kw[k]) {
      if (!raise_errors) return false;
      const std::string& name = a.keywords[k].first;
      for (const auto& p : s.params)
        if (p.name == alias(name)) return fail(cat(fname, "() got multiple values for argument '", name, "'"));
      return fail(cat(fname, "() got an unexpected keyword argument '", name, "'"));
    }
  return true;
}

std::string got_types(const CallArgs& a) {
  std::string got;
  for (const auto& v : a.positional) got += (got.empty() ? "" : ", ") + type_name(v);
  for (const auto& [k, v] : a.keywords) got += (got.empty() ? "" : ", ") + k + "=" + type_name(v);
  return "(" + got + ")";
}

}  // namespace

ParsedArgs parse_args(const std::string& fname, const std::vector<std::string>& signatures, const CallArgs& args) {
  static std::map<std::string, Signature> cache;
  std::vector<const Signature*> sigs;
  for (const auto& text : signatures) {
    auto it = cache.find(text);
    if (it == cache.end()) it = cache.emplace(text, parse_signature(text)).first;
    sigs.push_back(&it->second);
  }
  ParsedArgs out;
  if (sigs.size() == 1) {
    try_parse(fname, *sigs[0], args, true, out);
    return out;
  }
  for (std::size_t i = 0; i < sigs.size(); ++i)
    if (try_parse(fname, *sigs[i], args, false, out)) {
      out.signature = static_cast<int>(i);
      return out;
    }
  const std::size_t n = args.positional.size() + args.keywords.size();
  std::vector<std::size_t> plausible;
  for (std::size_t i = 0; i < sigs.size(); ++i)
    if (n >= sigs[i]->min_args && n <= sigs[i]->params.size()) plausible.push_back(i);
  if (plausible.size() == 1) try_parse(fname, *sigs[plausible[0]], args, true, out);
  std::string msg = cat(fname, "() received an invalid combination of arguments - got ", got_types(args),
                        ", but expected one of:\n");
  for (const Signature* s : sigs) {
    msg += " * (" + s->display + ")\n";
    // torch explains an overload whose arguments are all there but some have the wrong type.
    const bool tensor_for_list = !args.positional.empty() && args.positional[0].is<Tensor>() &&
                                 !s->params.empty() && s->params[0].type == "tuple of Tensors";
    if (args.keywords.empty() && n >= s->min_args && n <= std::max<std::size_t>(s->params.size(), 1) && !tensor_for_list) {
      std::string marks;
      bool bad = false;
      for (std::size_t i = 0; i < args.positional.size(); ++i) {
        const bool ok = i < s->max_pos && check(s->params[i], args.positional[i]);
        bad = bad || !ok;
        if (i) marks += ", ";
        if (!ok) marks += '!';
        marks += type_name(args.positional[i]);
        if (!ok) marks += '!';
      }
      if (bad) msg += "      didn't match because some of the arguments have invalid types: (" + marks + ")\n";
    }
  }
  raise_type(msg);
}

Shape to_int_list(const Value& v) {
  if (v.is<std::int64_t>()) return {v.as<std::int64_t>()};
  if (v.is<SizeV>()) return v.as<SizeV>().dims;
  const ValueList& items = v.is<TupleV>() ? *v.as<TupleV>().items : *v.as<ListV>().items;
  Shape out;
  for (const auto& x : items) {
    if (x.is<Tensor>()) out.push_back(x.as<Tensor>().item_as_int(0));
    else out.push_back(x.as<std::int64_t>());
  }
  return out;
}

}  // namespace logitlab::lang
