import Foundation
import MeshDiagnostics
import MeshManifest
import MeshPlanner
import MeshYAML

/// Reads a mesh: finds the root, decodes `mesh.yaml` and every `DataProduct` manifest
/// under the given paths, then runs the planner's resolve, governance and planning passes.
public enum MeshLoader {
  /// `paths` are relative to `currentDirectory` unless absolute. `missing` collects the
  /// paths that do not exist (a usage error for the caller). With `reportPlanning` false
  /// the plans are made but their findings left out (`compat` gates on schemas alone).
  public static func load(
    paths: [String], currentDirectory: URL, reportPlanning: Bool = true
  ) -> (
    mesh: LoadedMesh, missing: [String]
  ) {
    let urls = absoluteURLs(paths, currentDirectory: currentDirectory)
    let root = MeshRoot.find(from: urls.first ?? currentDirectory, fallback: currentDirectory)
    let display = DisplayPath(currentDirectory: currentDirectory)
    var mesh = LoadedMesh(root: root, display: display, config: nil)
    if let configFile = root.configFile, let file = read(configFile, display: display, into: &mesh) {
      mesh.config = decodeConfig(file, into: &mesh)
    }
    let (files, missing) = ManifestDiscovery.yamlFiles(under: urls)
    for path in missing {
      mesh.diagnostics.error(
        .pathNotFound, "no such file or directory: '\(display(path))'", at: nil,
        help: "meshc validate takes files or directories holding manifests")
    }
    for url in files {
      guard let file = read(url, display: display, into: &mesh) else { continue }
      let inProducts = url.pathComponents.contains("products")
      decodeProducts(file, warnIfNone: inProducts, into: &mesh)
    }
    if root.configFile != nil {
      let asked = Set(files.map(\.path))
      for url in ManifestDiscovery.yamlFiles(under: [root.directory]).files where !asked.contains(url.path) {
        var scratch = LoadedMesh(root: root, display: display, config: nil)
        guard let file = read(url, display: display, into: &scratch) else { continue }
        decodeProducts(file, warnIfNone: false, into: &scratch)
        mesh.context += scratch.products
      }
    }
    if mesh.products.isEmpty, missing.isEmpty, !mesh.diagnostics.hasErrors {
      mesh.diagnostics.error(
        .noManifests, "no data product manifests (kind: DataProduct) under \(paths.joined(separator: ", "))",
        at: nil, help: "manifests are YAML files with 'kind: DataProduct'; see docs/manifest.md")
    }
    mesh.resolved = MeshResolver.resolve(
      products: mesh.products, context: mesh.context, config: mesh.config,
      files: DiskMeshFiles(root: root, display: display))
    let planning = Planner.plan(&mesh.resolved, config: mesh.config)
    mesh.diagnostics.append(contentsOf: mesh.resolved.diagnostics)
    if reportPlanning { mesh.diagnostics.append(contentsOf: planning) }
    for file in mesh.resolved.sources.all { mesh.sources.add(file) }
    return (mesh, missing.map { display($0) })
  }

  /// The paths a command was given, made absolute against `currentDirectory`.
  static func absoluteURLs(_ paths: [String], currentDirectory: URL) -> [URL] {
    paths.map {
      ($0.hasPrefix("/") ? URL(fileURLWithPath: $0) : currentDirectory.appendingPathComponent($0)).standardizedFileURL
    }
  }

  static func read(_ url: URL, display: DisplayPath, into mesh: inout LoadedMesh) -> SourceFile? {
    let path = display(url)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      mesh.diagnostics.error(.fileUnreadable, "cannot read '\(path)'", at: SourceRange.wholeFile(path))
      return nil
    }
    let file = SourceFile(path: path, bytes: [UInt8](data))
    mesh.sources.add(file)
    return file
  }

  static func decodeConfig(_ file: SourceFile, into mesh: inout LoadedMesh) -> MeshConfig? {
    let parsed = parseYAML(file)
    mesh.diagnostics.append(contentsOf: parsed.diagnostics)
    guard let root = parsed.documents.first?.root else {
      if !parsed.diagnostics.hasErrors {
        mesh.diagnostics.error(
          .invalidMeshFile, "mesh.yaml holds no Mesh document", at: SourceRange.wholeFile(file.path),
          help: "start it with 'apiVersion: meshc/v1', 'kind: Mesh' and 'name:'")
      }
      return nil
    }
    var decoder = ManifestDecoder()
    let config = decoder.decodeMesh(root)
    mesh.diagnostics.append(contentsOf: decoder.diagnostics)
    return config
  }

  /// Decodes every `kind: DataProduct` document of a file (a file may hold several).
  static func decodeProducts(_ file: SourceFile, warnIfNone: Bool, into mesh: inout LoadedMesh) {
    let parsed = parseYAML(file)
    mesh.diagnostics.append(contentsOf: parsed.diagnostics)
    var found = false
    for document in parsed.documents {
      guard let root = document.root else { continue }
      let kind = root["kind"]?.scalar?.text
      // A file that is clearly something else (a CI workflow, a docker-compose file)
      // is none of validate's business; one that tries to be a manifest is.
      guard kind == "DataProduct" || (kind == nil && root["spec"] != nil && root["metadata"] != nil) else { continue }
      found = true
      var decoder = ManifestDecoder(source: file)
      if let product = decoder.decodeProduct(root) {
        mesh.products.append(LoadedProduct(product: product, displayPath: file.path))
      }
      mesh.diagnostics.append(contentsOf: decoder.diagnostics)
    }
    if !found, warnIfNone, !parsed.diagnostics.hasErrors {
      mesh.diagnostics.warning(
        .notAManifest, "'\(file.path)' holds no data product (kind: DataProduct)", at: SourceRange.wholeFile(file.path))
    }
    if parsed.diagnostics.hasErrors, !found {
      // A file that does not even parse may well be a manifest: its errors already say why.
      return
    }
  }
}
