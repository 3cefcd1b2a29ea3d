#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// This process's id, for temporary file names that two processes must not share.
enum ProcessIdentity {
  static var current: Int32 { getpid() }
}
