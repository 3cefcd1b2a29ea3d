/// The embedded append-only log.
public enum MeshLog {}
