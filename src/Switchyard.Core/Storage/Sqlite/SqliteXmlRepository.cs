using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The Data Protection key ring (what signs and encrypts the dashboard's session and antiforgery cookies)
/// in the database rather than loose files: it is private like the database, survives restarts with it,
/// and every node of a cluster can share it once the store is shared.
/// </summary>
internal sealed class SqliteXmlRepository(SqliteDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM ui_protection_keys ORDER BY name";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO ui_protection_keys (name, xml) VALUES ($name, $xml)";
        command.Parameters.AddWithValue("$name", friendlyName);
        command.Parameters.AddWithValue("$xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
