import ArgumentParser

/// `meshc bench …`: the benchmark commands. Each prints its figure next to a baseline
/// measured in the same run; none of them runs in CI.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure meshc's hot paths against a baseline measured in the same run.",
    subcommands: [
      BenchValidate.self, BenchExpr.self, BenchAvro.self, BenchParquet.self, BenchPipeline.self, BenchJoin.self,
      BenchState.self,
      BenchCompat.self,
      BenchLog.self,
    ]
  )
}
