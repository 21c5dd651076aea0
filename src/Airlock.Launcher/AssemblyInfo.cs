// The launcher drives Linux containers with Unix file modes, sockets and uids; Windows hosts are out of scope for now.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
