"""Load and fault harnesses: real servers, real WebSocket clients, figures into docs/benchmarks.md."""
