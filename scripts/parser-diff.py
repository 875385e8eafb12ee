#!/usr/bin/env python3
"""Compare what two `iki` binaries extract from the same inputs, document by document.

    scripts/parser-diff.py OLD_IKI NEW_IKI PATH... [--ignore-confidence] [--show N]

Runs `extract PATH... --ndjson -` with both binaries and counts the documents whose JSON
differs (all fields, or all but confidences). Parser refactors state this count in their
commit message; --show N prints the first N differing paths with the first differing field.
"""
import json
import subprocess
import sys


def run(binary, paths):
    out = subprocess.run([binary, "extract", *paths, "--ndjson", "-", "-q", "-j", "2"],
                         capture_output=True, check=False).stdout
    return {d["source"]["path"]: d for d in map(json.loads, out.decode().splitlines())}


def strip(value, ignore_confidence):
    if isinstance(value, dict):
        return {k: strip(v, ignore_confidence) for k, v in value.items()
                if not (ignore_confidence and k == "confidence")}
    if isinstance(value, list):
        return [strip(v, ignore_confidence) for v in value]
    return value


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return path, a, b
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
        if len(a) != len(b):
            return f"{path}.len", len(a), len(b)
    elif a != b:
        return path, a, b
    return None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    ignore = "--ignore-confidence" in sys.argv
    show = 0
    if "--show" in sys.argv:
        show = int(sys.argv[sys.argv.index("--show") + 1])
        args.remove(str(show))
    old_bin, new_bin, paths = args[0], args[1], args[2:]
    old, new = run(old_bin, paths), run(new_bin, paths)
    differing = [p for p in old if strip(old[p], ignore) != strip(new.get(p), ignore)]
    print(f"{len(old)} documents, {len(differing)} differ"
          + (" (confidence ignored)" if ignore else ""))
    for p in differing[:show]:
        print(" ", p, first_difference(strip(old[p], ignore), strip(new.get(p), ignore)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
