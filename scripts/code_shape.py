#!/usr/bin/env python3
"""Prints the longest functions and files under the given folders (default: the whole tree).

Used to keep the shape docs/development.md asks for: no function over about 80 lines, no file
over about 250. Function extents come from Universal Ctags (`end` field); lambdas are not counted
as functions of their own.

    scripts/code_shape.py [--top N] [--max-function L] [--max-file L] [folder ...]

With --max-function or --max-file it exits 1 when something is over the limit.
"""
import argparse
import json
import pathlib
import subprocess
import sys

SOURCE_SUFFIXES = {".h", ".cpp"}


def sources(folders):
    for folder in folders:
        for path in sorted(pathlib.Path(folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "build" not in path.parts:
                yield path


def function_lengths(paths):
    if not paths:
        return []
    out = subprocess.run(
        ["ctags", "--output-format=json", "--fields=+ne", "--c++-kinds=f", "-o", "-", *map(str, paths)],
        check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("kind") != "function" or "end" not in tag or tag["name"].startswith("__anon"):
            continue
        scope = tag.get("scope", "")
        name = f"{scope.split('::')[-1]}::{tag['name']}" if tag.get("scopeKind") in ("class", "struct") else tag["name"]
        rows.append((tag["end"] - tag["line"] + 1, f"{tag['path']}:{tag['line']}", name))
    return sorted(rows, reverse=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", default=["meshcore", "models", "ui", "app"])
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--max-function", type=int)
    parser.add_argument("--max-file", type=int)
    args = parser.parse_args()
    paths = list(sources(args.folders))
    functions = function_lengths(paths)
    files = sorted(((sum(1 for _ in p.open(encoding="utf-8", errors="replace")), str(p)) for p in paths),
                   reverse=True)
    print(f"longest functions in {' '.join(args.folders)}:")
    for length, where, name in functions[:args.top]:
        print(f"  {length:5d}  {name}  ({where})")
    print(f"longest files in {' '.join(args.folders)}:")
    for length, where in files[:args.top]:
        print(f"  {length:5d}  {where}")
    over = [f for f in functions if args.max_function and f[0] > args.max_function]
    over += [f for f in files if args.max_file and f[0] > args.max_file]
    if over:
        print(f"{len(over)} over the limits", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
