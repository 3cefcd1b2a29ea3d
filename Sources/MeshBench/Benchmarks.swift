/// The benchmark commands (`meshc bench …`), each timing a hot path beside a baseline
/// measured in the same run, and the child process of the log's crash tests. Not part
/// of the product's library: only the `meshc` executable and the tests link it.
public enum Benchmarks {}
