import Foundation
import Testing

@testable import MeshLog

@Suite struct DataSignalTests {
  @Test func aWaiterSeesAPublicationWhetherItYieldsOrSleeps() {
    for yields in [0, 5, 100_000] {
      let signal = DataSignal()
      let seen = signal.current
      let publisher = Thread {
        usleep(2000)
        signal.publish()
      }
      publisher.start()
      let woke = signal.wait(after: seen, yieldingFirst: yields, milliseconds: 10_000)
      #expect(woke == seen &+ 1, "yielding \(yields) times first")
    }
  }

  @Test func withoutAPublicationTheWaitEndsAtItsTimeout() {
    let signal = DataSignal()
    let seen = signal.current
    let start = Date()
    #expect(signal.wait(after: seen, yieldingFirst: 10, milliseconds: 20) == seen)
    #expect(Date().timeIntervalSince(start) >= 0.015)
  }

  @Test func aPublicationBeforeTheWaitReturnsAtOnce() {
    let signal = DataSignal()
    let seen = signal.current
    signal.publish()
    #expect(signal.wait(after: seen, yieldingFirst: 10, milliseconds: 60_000) == seen &+ 1)
  }
}
