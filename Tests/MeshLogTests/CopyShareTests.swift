import Testing

@testable import MeshLog

@Suite struct CopyShareTests {
  @Test func itMovesTowardsWhicheverThreadWaitsWithinItsBounds() {
    var share = CopyShare()
    #expect(share.sixtyFourths == CopyShare.whole)
    share.helperWaited()
    #expect(share.sixtyFourths == CopyShare.whole)
    for _ in 0..<10 { share.readerWaited() }
    #expect(share.sixtyFourths == CopyShare.whole - 10)
    for _ in 0..<100 { share.readerWaited() }
    #expect(share.sixtyFourths == CopyShare.smallest)
    share.helperWaited()
    #expect(share.sixtyFourths == CopyShare.smallest + 1)
    #expect(CopyShare(sixtyFourths: 0) == CopyShare(sixtyFourths: CopyShare.smallest))
    #expect(CopyShare(sixtyFourths: 1000) == CopyShare())
  }

  @Test func theHelpersPartIsWholeCacheLinesAndAtLeastAHeader() {
    #expect(CopyShare().helperBytes(of: 100_001) == 100_001)
    let half = CopyShare(sixtyFourths: 32)
    #expect(half.helperBytes(of: 100_000) == 49_984)
    #expect(half.helperBytes(of: 100_000) % 64 == 0)
    #expect(half.helperBytes(of: 70) == BatchFormat.headerSize)
    #expect(half.helperBytes(of: 20) == 20)
  }
}
