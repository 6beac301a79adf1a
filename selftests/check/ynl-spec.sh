#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ynl-spec.sh [SPEC [HEADER]]: check that the YNL-style spec of the "kipc"
# generic netlink family (Documentation/netlink/kipc.yaml) and the uapi
# header (kmod/uapi/linux/kipc.h) agree: family name and version, every
# command and attribute in the same order with the same value, attribute
# types against the header's kernel-doc, events, object types and the name
# limit; and that events are unicast (no multicast group). TAP lines.
#
# Python 3 with its standard library only: the spec is written in a plain
# subset of YAML that the small parser below reads; when PyYAML happens to
# be installed, the parser's result is also compared with PyYAML's.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
spec=${1:-$top/Documentation/netlink/kipc.yaml}
header=${2:-$top/kmod/uapi/linux/kipc.h}

if ! command -v python3 >/dev/null; then
	echo "not ok - ynl spec: python3 not found"
	exit 1
fi
exec python3 - "$spec" "$header" <<'PYTHON'
import re
import sys

spec_path, header_path = sys.argv[1], sys.argv[2]
failures = 0


def tap(ok, what, why=None):
    global failures
    print(("ok - " if ok else "not ok - ") + "ynl spec: " + what)
    if not ok:
        failures += 1
        for line in (why or "").splitlines():
            print("#   " + line)


# --- a parser for the YAML subset the spec uses ---------------------------

class YamlError(Exception):
    pass


def scalar(text):
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [scalar(t) for t in inner.split(",")] if inner else []
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
        return int(text)
    if re.fullmatch(r"0[0-7]+|0[xob][0-9a-fA-F]+", text):
        raise YamlError("ambiguous number %r (YAML 1.1 and 1.2 differ)" % text)
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if ": " in text or text.endswith(":") or text.startswith(("&", "*", "!", "{", "|", ">")):
        raise YamlError("unsupported scalar %r" % text)
    return text


def load(path):
    raw = open(path).read().split("\n")
    lines = []  # [indent, text, raw line number]
    for no, line in enumerate(raw, 1):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise YamlError("line %d: tab in indentation" % no)
        lines.append([len(line) - len(line.lstrip(" ")), line.strip(), no])

    def skip(i):
        while i < len(lines) and (not lines[i][1] or lines[i][1].startswith("#")):
            i += 1
        return i

    def block(i, indent):
        i = skip(i)
        if i >= len(lines) or lines[i][0] < indent:
            return None, i
        indent = lines[i][0]
        if lines[i][1] == "-" or lines[i][1].startswith("- "):
            return seq(i, indent)
        return mapping(i, indent)

    def block_scalar(i, indent, style):
        out = []
        while i < len(lines) and (not lines[i][1] or lines[i][0] > indent):
            out.append(raw[lines[i][2] - 1])
            i += 1
        while out and not out[-1].strip():
            out.pop()
        body = [l[min(len(l) - len(l.lstrip()) for l in out if l.strip()):] if l.strip() else ""
                for l in out]
        if style == "|":
            return "\n".join(body) + "\n", i
        raise YamlError("line %d: only '|' block scalars" % lines[i - 1][2])

    def mapping(i, indent):
        out = {}
        while True:
            i = skip(i)
            if i >= len(lines) or lines[i][0] < indent:
                return out, i
            ind, text, no = lines[i]
            if ind > indent or text.startswith("-"):
                raise YamlError("line %d: unexpected indentation or list item" % no)
            m = re.fullmatch(r"([A-Za-z0-9_-]+):(?: +(.*))?", text)
            if not m:
                raise YamlError("line %d: expected 'key: value'" % no)
            key, rest = m.group(1), (m.group(2) or "").strip()
            if key in out:
                raise YamlError("line %d: duplicate key %s" % (no, key))
            if rest.startswith("#"):
                rest = ""
            if rest in ("|", ">"):
                out[key], i = block_scalar(i + 1, ind, rest)
            elif rest:
                out[key], i = scalar(rest), i + 1
            else:
                out[key], i = block(i + 1, ind + 1)
        return out, i

    def seq(i, indent):
        out = []
        while True:
            i = skip(i)
            if i >= len(lines) or lines[i][0] < indent:
                return out, i
            ind, text, no = lines[i]
            if ind != indent or not (text == "-" or text.startswith("- ")):
                raise YamlError("line %d: expected a list item" % no)
            item = text[1:].strip()
            if not item:
                value, i = block(i + 1, ind + 1)
            elif re.match(r"[A-Za-z0-9_-]+:( |$)", item):
                # "- key: value" opens a mapping indented past the dash
                lines[i] = [ind + 2, item, no]
                value, i = mapping(i, ind + 2)
            else:
                value, i = scalar(item), i + 1
            out.append(value)

    doc, i = block(0, 0)
    i = skip(i)
    if i < len(lines):
        raise YamlError("line %d: trailing content" % lines[i][2])
    return doc


# --- the header ----------------------------------------------------------

def parse_header(path):
    text = open(path).read()
    code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", code, re.S):
        entries, value = [], -1
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            nm = re.fullmatch(r"(\w+)(?:\s*=\s*(\w+))?", item)
            if not nm:
                raise ValueError("enum %s: cannot read %r" % (m.group(1), item))
            value = int(nm.group(2), 0) if nm.group(2) else value + 1
            if not nm.group(1).startswith("__"):
                entries.append((nm.group(1), value))
        enums[m.group(1)] = entries
    defines = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+(\S.*?)\s*$", code, re.M):
        defines[m.group(1)] = m.group(2)
    # kernel-doc of the attributes: "@KIPC_A_X: u32, ..."
    attr_doc = dict(re.findall(r"@(KIPC_(?:SUB_)?A_\w+):\s*([^\n]*)", text))
    return enums, defines, attr_doc


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def compare(what, want, got):
    """want, got: lists of (C name, value) in order."""
    problems = []
    for k in range(max(len(want), len(got))):
        w = want[k] if k < len(want) else None
        g = got[k] if k < len(got) else None
        if w != g:
            problems.append("position %d: header %s, spec %s" % (k, w, g))
    tap(not problems, what, "\n".join(problems))


def main():
    try:
        spec = load(spec_path)
        tap(isinstance(spec, dict), "%s parses" % spec_path.split("/")[-1])
    except (OSError, YamlError) as e:
        tap(False, "%s parses" % spec_path, str(e))
        return
    try:
        import yaml  # optional: a cross-check of the small parser
    except ImportError:
        print("ok - ynl spec: the small YAML parser agrees with PyYAML # SKIP PyYAML not installed")
    else:
        with open(spec_path) as f:
            tap(yaml.safe_load(f) == spec, "the small YAML parser agrees with PyYAML")
    try:
        enums, defines, attr_doc = parse_header(header_path)
    except (OSError, ValueError) as e:
        tap(False, "header parses", str(e))
        return

    tap(defines.get("KIPC_GENL_NAME") == '"%s"' % spec.get("name"),
        "family name %r is KIPC_GENL_NAME" % spec.get("name"),
        "header: %s" % defines.get("KIPC_GENL_NAME"))
    tap(defines.get("KIPC_GENL_VERSION") == str(spec.get("version")),
        "family version %s is KIPC_GENL_VERSION" % spec.get("version"),
        "header: %s" % defines.get("KIPC_GENL_VERSION"))

    # Commands: values count up from the first op's value (or 1); the
    # header's UNSPEC, value 0, is the unused command 0 of every family.
    ops = spec.get("operations") or {}
    prefix = ops.get("name-prefix", "")
    got, value = [], 0
    for op in ops.get("list") or []:
        value = op.get("value", value + 1)
        got.append((c_name(prefix, op["name"]), value))
    want = [e for e in enums.get(ops.get("enum-name"), []) if e[1] != 0]
    if not want:
        tap(False, "commands", "no enum %s in the header" % ops.get("enum-name"))
    else:
        compare("commands match enum %s (%d, same order and values)" %
                (ops.get("enum-name"), len(want)), want, got)
    tap(all(op.get("doc") for op in ops.get("list") or []), "every command is documented",
        "undocumented: %s" % [op["name"] for op in ops.get("list") or [] if not op.get("doc")])

    # Attributes.
    sets = {s["name"]: s for s in spec.get("attribute-sets") or []}
    kinds = {"u32": "u32", "u64": "u64", "flag": "flag", "nul-terminated string": "string",
             "binary": "binary", "padding": "pad", "unused": "unused", "nest": "nest"}
    for aset in sets.values():
        prefix = aset.get("name-prefix", "")
        got, value = [], -1
        for attr in aset.get("attributes") or []:
            value = attr.get("value", value + 1)
            got.append((c_name(prefix, attr["name"]), value))
        want = enums.get(aset.get("enum-name"), [])
        if not want:
            tap(False, "attribute set %s" % aset["name"],
                "no enum %s in the header" % aset.get("enum-name"))
            continue
        compare("attributes of set %s match enum %s (%d, same order and values)" %
                (aset["name"], aset.get("enum-name"), len(want)), want, got)
        problems = []
        for attr in aset.get("attributes") or []:
            cn = c_name(prefix, attr["name"])
            doc = attr_doc.get(cn, "").lower()
            kind = next((k for d, k in kinds.items() if doc.startswith(d)), None)
            if kind != attr.get("type"):
                problems.append("%s: spec type %s, header kernel-doc %r" %
                                (cn, attr.get("type"), attr_doc.get(cn)))
        tap(not problems, "attribute types of set %s match the header's kernel-doc" %
            aset["name"], "\n".join(problems))

    # Every attribute an operation names exists in its set.
    problems = []
    for op in ops.get("list") or []:
        names = {a["name"] for a in sets.get(op.get("attribute-set"), {}).get("attributes", [])}
        for mode in ("do", "dump", "event"):
            part = op.get(mode) or {}
            for attrs in [part] + [part.get(k) or {} for k in ("request", "reply")]:
                for name in (attrs.get("attributes") or []) if isinstance(attrs, dict) else []:
                    if name not in names:
                        problems.append("%s %s: no attribute %s in set %s" %
                                        (op["name"], mode, name, op.get("attribute-set")))
    tap(not problems, "operations name only attributes of their set", "\n".join(problems))

    # Enums and constants of the definitions.
    for d in spec.get("definitions") or []:
        prefix = d.get("name-prefix", "kipc-%s-" % d["name"])
        if d["type"] == "const":
            cn = c_name("kipc-", d["name"])
            tap(defines.get(cn) == str(d["value"]), "%s is %s" % (cn, d["value"]),
                "header: %s" % defines.get(cn))
            continue
        start = d.get("value-start", 0)
        got = [(c_name(prefix, e), start + k) for k, e in enumerate(d.get("entries") or [])]
        if d.get("enum-name"):
            want = enums.get(d["enum-name"], [])
            where = "enum %s" % d["enum-name"]
        else:
            cp = c_name(prefix, "")
            want = sorted(((n, int(v, 0)) for n, v in defines.items()
                           if n.startswith(cp) and re.fullmatch(r"\d+", v)), key=lambda e: e[1])
            where = "the %s* defines" % cp
        compare("enum %s matches %s (%d)" % (d["name"], where, len(want)), want, got)

    # Events are unicast to subscribers: no multicast group anywhere.
    events = [op for op in ops.get("list") or [] if "event" in op]
    names = {op["name"] for op in ops.get("list") or []}
    tap(events and not spec.get("mcast-groups") and not any("mcgrp" in op for op in events)
        and {"subscribe", "unsubscribe"} <= names,
        "events are unicast to subscribed sockets (no mcast-groups, subscribe/unsubscribe ops)")


main()
sys.exit(1 if failures else 0)
PYTHON
