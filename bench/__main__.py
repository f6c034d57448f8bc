"""``python -m bench``: list the benchmarks (each is ``python -m bench.<name> --help``)."""

import pkgutil

import bench

if __name__ == "__main__":
    names = [m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")]
    print("Benchmarks:", ", ".join(names) if names else "(none yet)")
    print("Run one with: python -m bench.<name> --help; results and how to read them: docs/benchmarks.md")
