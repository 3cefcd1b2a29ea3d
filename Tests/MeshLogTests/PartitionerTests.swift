import MeshTestSupport
import Testing

@testable import MeshLog

@Suite struct PartitionerTests {
  /// Kafka's own vectors (`UtilsTest.testMurmur2`), librdkafka's ("kafka") and those Akka
  /// checks its Kafka-compatible sharding against ("1" … "12345").
  @Test(arguments: [
    ("21", Int32(-973_932_308)), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
    ("a-little-bit-longer-string", -1_486_304_829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
    ("abc", 479_470_107), ("kafka", -798_503_068), ("1", -1_993_445_489), ("12", 126_087_238), ("123", -267_702_483),
    ("1234", -1_614_185_708), ("12345", -1_188_365_604),
  ])
  func murmur2MatchesKafka(_ key: String, _ expected: Int32) {
    #expect(Partitioner.murmur2(Array(key.utf8)) == expected)
  }

  @Test func partitionIsToPositiveMurmur2ModuloTheCount() {
    // toPositive(-973932308) = 1173551340; with 3 partitions Kafka sends key "21" to 0.
    #expect(Partitioner.toPositive(-973_932_308) == 1_173_551_340)
    #expect(Partitioner.partition(forKey: Array("21".utf8), partitionCount: 3) == 1_173_551_340 % 3)
    #expect(
      Partitioner.partition(forKey: Array("foobar".utf8), partitionCount: 10) == Int(
        Partitioner.toPositive(-790_332_482)) % 10)
    #expect(Partitioner.partition(forKey: [], partitionCount: 1) == 0)
  }

  @Test func topicsSendKeysToTheirPartitionAndSpreadKeylessRecords() throws {
    let log = try Log.open(directory: "/d", io: SimulatedFileIO(), clock: ManualClock())
    let topic = try log.createTopic("t", config: tinyConfig(partitions: 4, segmentBytes: 4096))
    let keyed = (0..<40).map { Record(key: Array("key-\($0)".utf8), value: [UInt8($0)]) }
    let positions = try topic.append(keyed)
    for (record, position) in zip(keyed, positions) {
      #expect(position.partition == Partitioner.partition(forKey: record.key ?? [], partitionCount: 4))
    }
    // Keyless: one partition per append (sticky), the next append goes to the next one.
    var used: [Int] = []
    for round in 0..<4 {
      let spots = try topic.append((0..<5).map { Record(value: [UInt8(round), UInt8($0)]) })
      #expect(Set(spots.map(\.partition)).count == 1)
      used.append(spots[0].partition)
    }
    #expect(Set(used).count == 4)
    // An explicit partition wins.
    #expect(try topic.append([Record(key: [1], value: [2])], partition: 2).map(\.partition) == [2])
    #expect(throws: LogError.unknownPartition(topic: "t", partition: 9, partitionCount: 4)) {
      try topic.append([Record(value: [1])], partition: 9)
    }
  }
}
