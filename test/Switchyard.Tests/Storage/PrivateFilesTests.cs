using Switchyard.Storage;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Storage;

/// <summary>What Switchyard creates on disk is readable by its own user only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests
{
    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
    private const UnixFileMode Other = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public void A_new_data_directory_is_0700_and_the_database_and_its_wal_are_0600()
    {
        var data = Path.Combine(TestGateway.NewDataDirectory(), "nested", "data");
        try
        {
            var database = new SqliteDatabase(data);
            database.Migrate();
            using (var connection = database.Open())
            using (var write = connection.CreateCommand())
            {
                write.CommandText = "CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1);";
                write.ExecuteNonQuery();
                Assert.True(File.Exists(database.Path + "-wal"));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                foreach (var file in (string[])[database.Path, database.Path + "-wal", database.Path + "-shm"])
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(data))!, recursive: true);
        }
    }

    [Fact]
    public void An_existing_directory_keeps_the_mode_its_operator_chose()
    {
        var data = TestGateway.NewDataDirectory();
        Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        try
        {
            PrivateFiles.EnsureDirectory(data);

            Assert.Equal(UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(data) & (Group | Other));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
