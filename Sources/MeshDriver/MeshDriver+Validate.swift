import MeshDiagnostics

extension MeshDriver {
  /// `meshc validate`: parse, decode and resolve every manifest under `paths`.
  public static func validate(paths: [String]) -> Report {
    // Placeholder until the manifest model lands (issue 2).
    Report()
  }
}
