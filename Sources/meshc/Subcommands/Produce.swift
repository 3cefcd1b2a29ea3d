import ArgumentParser
import MeshBytes
import MeshDriver

struct Produce: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Append JSON lines from standard input to a topic.",
    discussion: """
      Each line is one record. By default the line is the value. With --key-field NAME the line \
      must be an object and its member NAME is the key. With --envelope each line is \
      {"key": …, "value": …, "headers": {…}, "timestamp": …, "partition": …} (only "value" is \
      required; null is a tombstone). A missing topic is created with default settings. \
      Exit status: 0 done, 1 errors found (lines before the first bad one were appended), 2 usage.
      """
  )

  @Argument(help: "The topic to append to.") var topic: String
  @Option(name: .customLong("key-field"), help: "Use this top-level member of each line as the record key.")
  var keyField: String?
  @Option(
    help:
      "Encode each value with this registry subject's latest schema (Avro, framed with the schema id as Kafka's serializers do)."
  )
  var schema: String?
  @Flag(help: "Each line is an envelope with key, value, headers, timestamp and partition.") var envelope = false
  @Option(help: "Append every record to this partition instead of partitioning by key.") var partition: Int?
  @OptionGroup var location: LogLocationOptions
  @OptionGroup var output: OutputOptions

  func run() throws {
    let options = ProduceOptions(keyField: keyField, envelope: envelope, partition: partition, schemaSubject: schema)
    let report = MeshDriver.produce(
      topic: topic, options: options, input: LineInput(descriptor: 0, maxLineBytes: options.lineLimit), location.context
    )
    throw ExitCode(Int32(output.emit(report)))
  }
}
