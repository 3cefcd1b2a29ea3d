/// The median of a benchmark's repeated measurements: what every `meshc bench` reports,
/// because the first run after idle and the noise of shared machines skew a mean.
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
