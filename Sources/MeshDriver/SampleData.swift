import Foundation
import MeshData
import MeshFormats
import MeshSchema

/// Deterministic input data for the example mesh: orders as CSV, stock counts as JSON
/// Lines, customer profile changes as Avro containers, one file per day, with the mess
/// real feeds have (duplicated events, test orders, a malformed line) so that every step
/// of the example products has work. The same arguments always write the same bytes.
struct SampleData {
  let orders: Int
  private var state: UInt64 = 0x2545_F491_4F6C_DD1D

  init(orders: Int) { self.orders = orders }

  private mutating func next(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(max(1, bound)))
  }

  static let days = ["2026-11-24", "2026-11-25", "2026-11-26"]
  static let countries = ["NO", "SE", "DK", "FI", "DE"]
  static let statuses = ["placed", "paid", "paid", "shipped", "cancelled"]

  /// Product variant `number`: every third one is a shoe (what marketing promotes).
  static func sku(_ number: Int) -> (sku: String, category: String) {
    switch number % 3 {
    case 0: ("SHOE-\(number)", "shoes")
    case 1: ("HAT-\(number)", "hats")
    default: ("BAG-\(number)", "bags")
    }
  }

  /// `data/orders/<day>.csv`: each order placed, then often paid; a few test orders, a
  /// few events sent twice, one line with a quantity that is not a number.
  mutating func orderFiles() -> [(name: String, text: String)] {
    var files: [(String, String)] = []
    let perDay = max(1, orders / Self.days.count)
    var number = 0
    for day in Self.days {
      var lines = ["order_id,customer_id,sku,quantity,amount,currency,fx_rate,status,country,placed_at"]
      for _ in 0..<perDay {
        number += 1
        let minute = next(24 * 60 - 120)
        let time = { (offset: Int) in
          let total = minute + offset
          return "\(day)T\(String(format: "%02d:%02d", total / 60, total % 60)):00Z"
        }
        let amount = String(format: "%.2f", Double(5 + next(30_000)) / 100)
        let currency = next(3) == 0 ? "USD" : "EUR"
        let rate = currency == "USD" ? "0.92" : "1"
        let country = Self.countries[next(Self.countries.count)]
        let base =
          "o-\(number),c-\(1 + next(200)),\(Self.sku(1 + next(40)).sku),\(1 + next(4)),\(amount),\(currency),\(rate)"
        let status = next(25) == 0 ? "test" : "placed"
        lines.append("\(base),\(status),\(country),\(time(0))")
        if next(10) == 0 { lines.append("\(base),\(status),\(country),\(time(1))") }
        let later = Self.statuses[next(Self.statuses.count)]
        if later != "placed", status != "test" { lines.append("\(base),\(later),\(country),\(time(30 + next(60)))") }
      }
      if day == Self.days[1] { lines.append("o-bad,c-1,HAT-1,two,10.00,EUR,1,placed,NO,\(day)T12:00:00Z") }
      files.append(("\(day).csv", lines.joined(separator: "\n") + "\n"))
    }
    return files
  }

  /// `data/stock/<day>.jsonl`: a count per sku and warehouse each morning.
  mutating func stockFiles() -> [(name: String, text: String)] {
    Self.days.map { day in
      var lines: [String] = []
      for sku in 1...40 {
        for warehouse in ["oslo", "stockholm"] {
          let onHand = next(60)
          let reserved = next(12)
          let (name, category) = Self.sku(sku)
          lines.append(
            #"{"sku":"\#(name)","warehouse":"\#(warehouse)","category":"\#(category)","on_hand":\#(onHand),"#
              + #""reserved":\#(reserved),"counted_at":"\#(day)T06:00:00Z"}"#)
        }
      }
      return ("\(day).jsonl", lines.joined(separator: "\n") + "\n")
    }
  }

  /// `data/customers/<day>.avro`: profile changes, written as the account service would:
  /// every customer's profile at midnight of the first day, then twenty changes a day.
  mutating func customerFiles(schema: Schema) throws -> [(name: String, bytes: [UInt8])] {
    guard let records = RecordSchema(avro: schema) else { return [] }
    var files: [(String, [UInt8])] = []
    for day in Self.days {
      var lines: [String] = []
      let profile = { (id: Int, country: String, optIn: Bool, time: String) in
        #"{"customer_id":"c-\#(id)","email":"customer\#(id)@example.com","full_name":"Customer \#(id)","#
          + #""country":"\#(country)","marketing_opt_in":\#(optIn),"changed_at":"\#(day)T\#(time):00Z"}"#
      }
      if day == Self.days[0] {
        for id in 1...200 {
          lines.append(profile(id, Self.countries[next(Self.countries.count)], next(2) == 0, "00:00"))
        }
      }
      for _ in 0..<20 {
        let id = 1 + next(200)
        let country = Self.countries[next(Self.countries.count)]
        lines.append(profile(id, country, next(2) == 0, "1\(next(10)):00"))
      }
      let reader = JSONLinesBatchReader(bytes: Array(lines.joined(separator: "\n").utf8), schema: records, avro: schema)
      var batches: [RecordBatch] = []
      while let (batch, _) = reader.nextBatch() { batches.append(batch) }
      let writer = try AvroContainerWriter(schema: schema, codec: .snappy)
      files.append(("\(day).avro", try writer.file(of: batches)))
    }
    return files
  }
}
