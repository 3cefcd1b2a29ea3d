import MeshConnectors
import Testing

@Suite struct PathGlobTests {
  @Test func matchesSegmentsAndAnyDepth() {
    let csv = PathGlob("data/orders/*.csv")
    #expect(csv.baseDirectory == "data/orders")
    #expect(csv.matches("data/orders/2026-11-24.csv"))
    #expect(!csv.matches("data/orders/late/2026-11-24.csv"))
    #expect(!csv.matches("data/orders/.hidden.csv"))
    #expect(!csv.matches("data/orders/a.csv.tmp"))
    let deep = PathGlob("data/**/*.jsonl")
    #expect(deep.baseDirectory == "data")
    #expect(deep.matches("data/a.jsonl"))
    #expect(deep.matches("data/x/y/z.jsonl"))
    #expect(!deep.matches("data/.staging/z.jsonl"))
    #expect(PathGlob("data/orders.csv").baseDirectory == "data")
    #expect(PathGlob("data/day=2026-11-2[0-4]/part-?.parquet").matches("data/day=2026-11-23/part-1.parquet"))
  }
}
