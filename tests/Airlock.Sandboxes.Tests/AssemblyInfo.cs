// Path safety is about Unix links, modes and owners; its tests assert on those.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
