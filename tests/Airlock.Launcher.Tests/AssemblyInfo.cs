// The launcher drives Linux containers with Unix file modes, sockets and uids; its tests assert on those too.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
