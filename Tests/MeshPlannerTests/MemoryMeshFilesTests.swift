import MeshPlanner
import Testing

struct MemoryMeshFilesTests {
  @Test func spellingsOfOnePathAreOneFile() {
    let files = MemoryMeshFiles(texts: ["schemas/a.avsc": "{}"])
    for path in ["schemas/a.avsc", "./schemas/a.avsc", "schemas//a.avsc", "x/../schemas/a.avsc"] {
      #expect(files.isFile(path), "\(path)")
      #expect(files.read(path) == Array("{}".utf8))
      #expect(files.displayPath(path) == "schemas/a.avsc")
    }
    #expect(!files.isFile("schemas"))
    #expect(files.read("schemas/b.avsc") == nil)
  }
}
