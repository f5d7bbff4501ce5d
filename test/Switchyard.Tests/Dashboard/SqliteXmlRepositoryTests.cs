using System.Xml.Linq;
using Switchyard.Dashboard.Sessions;
using Switchyard.Storage;
using Switchyard.Storage.Sqlite;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>The Data Protection key ring kept in the database: every element stored comes back, a re-stored one once.</summary>
public sealed class SqliteXmlRepositoryTests
{
    [Fact]
    public void Stored_elements_come_back_and_survive_a_new_repository_on_the_same_database()
    {
        var database = new SqliteDatabase(TestGateway.NewDataDirectory());
        database.Migrate();
        var repository = new SqliteXmlRepository(database);
        Assert.Empty(repository.GetAllElements());

        repository.StoreElement(new XElement("key", new XAttribute("id", "1"), "first"), "key-1");
        repository.StoreElement(new XElement("key", new XAttribute("id", "2"), "second"), "key-2");
        repository.StoreElement(new XElement("key", new XAttribute("id", "2"), "second, revoked"), "key-2");

        var elements = new SqliteXmlRepository(database).GetAllElements().Select(e => (e.Attribute("id")!.Value, e.Value)).ToList();
        Assert.Equal([("1", "first"), ("2", "second, revoked")], elements);
    }
}
