using Switchyard.Dashboard.Sessions;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Dashboard;

/// <summary>The session contract on the embedded database.</summary>
public sealed class SqliteDashboardSessionStoreTests : DashboardSessionStoreContract
{
    internal override IDashboardSessionStore CreateStore()
    {
        var database = new SqliteDatabase(TestGateway.NewDataDirectory());
        database.Migrate();
        return new SqliteDashboardSessionStore(database);
    }
}
