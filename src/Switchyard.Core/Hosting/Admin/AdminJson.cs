using System.Text.Json.Serialization;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary>
/// The admin API's bodies, source-generated. Member names are the C# names in snake_case; a member the
/// request type lacks is refused (<see cref="ApiBody.Bind"/> turns that into a 400 naming it); times are
/// written as the API always wrote them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 32,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(KeyRequest))]
[JsonSerializable(typeof(TeamRequest))]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(RotateRequest))]
[JsonSerializable(typeof(LimitsPatch))]
[JsonSerializable(typeof(BudgetPatch))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(DataList<KeyView>))]
[JsonSerializable(typeof(TeamView))]
[JsonSerializable(typeof(DataList<TeamView>))]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(DataList<UserView>))]
[JsonSerializable(typeof(DeletedView))]
[JsonSerializable(typeof(DataList<ModelGroupView>))]
[JsonSerializable(typeof(LimitsView))]
[JsonSerializable(typeof(BudgetView))]
[JsonSerializable(typeof(SpendView))]
[JsonSerializable(typeof(CacheStats))]
[JsonSerializable(typeof(CacheRemoved))]
internal sealed partial class AdminJson : JsonSerializerContext;
