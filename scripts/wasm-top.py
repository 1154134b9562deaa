#!/usr/bin/env python3
"""Where the bytes of a wasm file go: code size by crate and the largest functions.

Reads the code section and the name section (rustc keeps function names in
the wasm it links, before wasm-bindgen and wasm-opt), demangles roughly, and
prints the crates and functions with the most code. For looking at the bundle
of issue #12, e.g.

    scripts/wasm-top.py target/wasm32-unknown-unknown/wasm-release/frontend.wasm [TOP]
"""
import re
import sys
from collections import Counter


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def sections(data):
    assert data[:4] == b"\0asm", "not a wasm file"
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]
        pos += size


def imported_functions(body):
    count, pos = leb(body, 0)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module, name
            n, pos = leb(body, pos)
            pos += n
        kind = body[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(body, pos)
            funcs += 1
        elif kind == 1:  # table: reftype + limits
            pos += 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: valtype + mut
            pos += 2
        else:
            _, pos = leb(body, pos)
    return funcs


def idents(text, pos):
    """The length-prefixed identifiers of a v0 path starting at pos."""
    out = []
    while pos < len(text) and text[pos].isdigit():
        end = pos
        while end < len(text) and text[end].isdigit():
            end += 1
        n = int(text[pos:end])
        if text[end:end + 1] == "_":  # a separator before an identifier starting with a digit or _
            end += 1
        out.append(text[end:end + n])
        pos = end + n
    return out


def owner_of(name):
    """v0 symbols: the app module a monomorphised function was made for, else its first crate."""
    if not name.startswith("_R"):
        return crate_of(name)
    crates = [(m.start(), idents(name, m.end())) for m in re.finditer(r"C(?:s[0-9A-Za-z]*_)?(?=\d)", name)]
    for _, path in crates:
        if path and path[0] == "app":
            return "::".join(path[:3]) if len(path) > 2 and path[1] == "pages" else "::".join(path[:2])
    for _, path in crates:
        if path:
            return path[0]
    return "?"


def crate_of(name):
    # Legacy mangling, demangled: "<app::pages::X as ...>::f" or "app::x::y::h0123".
    name = name.lstrip("<&*")
    match = re.match(r"(?:dyn |impl |mut |const )*([A-Za-z_][A-Za-z0-9_]*)", name)
    return match.group(1) if match else "?"


def demangle(name):
    if not name.startswith("_ZN"):
        return name
    parts, pos = [], 3
    while pos < len(name) and name[pos].isdigit():
        end = pos
        while name[end].isdigit():
            end += 1
        n = int(name[pos:end])
        parts.append(name[end:end + n])
        pos = end + n
    text = "::".join(p for p in parts if not re.fullmatch(r"h[0-9a-f]{16}", p))
    for code, char in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"),
                       ("$C$", ","), ("..", "::"), ("$u7b$", "{"), ("$u7d$", "}"),
                       ("$BP$", "*"), ("$u5b$", "["), ("$u5d$", "]")):
        text = text.replace(code, char)
    return text


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    data = open(path, "rb").read()
    imports, sizes, names, data_bytes = 0, [], {}, 0
    for sid, body in sections(data):
        if sid == 2:
            imports = imported_functions(body)
        elif sid == 10:
            count, pos = leb(body, 0)
            for _ in range(count):
                size, pos = leb(body, pos)
                sizes.append(size)
                pos += size
        elif sid == 11:
            data_bytes = len(body)
        elif sid == 0:
            n, pos = leb(body, 0)
            if body[pos:pos + n] != b"name":
                continue
            pos += n
            while pos < len(body):
                sub = body[pos]
                size, pos = leb(body, pos + 1)
                end = pos + size
                if sub == 1:
                    count, p = leb(body, pos)
                    for _ in range(count):
                        idx, p = leb(body, p)
                        n, p = leb(body, p)
                        names[idx] = demangle(body[p:p + n].decode("utf-8", "replace"))
                        p += n
                pos = end
    total = sum(sizes)
    print(f"{path}: {len(data) // 1024} KB; code {total // 1024} KB in {len(sizes)} functions;"
          f" data {data_bytes // 1024} KB")
    by_crate = Counter()
    functions = []
    for i, size in enumerate(sizes):
        name = names.get(imports + i, f"func[{imports + i}]")
        by_crate[owner_of(name)] += size
        functions.append((size, name))
    print("\ncode by owner (KB): the app module a generic was made for, else its crate")
    for crate, size in by_crate.most_common(top):
        print(f"  {size / 1024:8.1f}  {crate}")
    print("\nlargest functions (KB):")
    for size, name in sorted(functions, reverse=True)[:top]:
        print(f"  {size / 1024:8.1f}  {owner_of(name)}  {name[:110]}")


if __name__ == "__main__":
    main()
