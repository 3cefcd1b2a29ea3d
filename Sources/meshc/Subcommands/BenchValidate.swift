import ArgumentParser
import MeshBench
import MeshDriver

struct BenchValidate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Validate a generated mesh, next to reading the same files' bytes.",
    discussion: "Build in release mode first: swift build -c release."
  )

  @Option(help: "Products in the generated mesh.") var products = 1000
  @Option(help: "Measured runs (after one warm-up).") var repeats = 7

  func run() throws {
    guard products > 0, repeats > 0 else { throw ValidationError("--products and --repeats must be positive") }
    print(try Benchmarks.benchValidate(products: products, repeats: repeats).text)
  }
}
