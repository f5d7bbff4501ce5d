namespace Switchyard.Storage;

/// <summary>
/// Creates the data directory and the database file readable by the service's own user only: they hold
/// prompts, answers and key metadata. Paths that already exist keep the permissions an operator gave them.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // Only the last level is made private; parents created on the way get the umask's defaults,
        // as with mkdir -p -m 700.
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    /// <summary>Creates an empty file with mode 0600 unless it exists; SQLite then gives its -wal and -shm files the same mode.</summary>
    public static void EnsureFile(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; its mode stands.
        }
    }
}
