/// The manifest and mesh.yaml model and its decoder.
public enum MeshManifest {}
