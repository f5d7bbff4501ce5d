using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Identity;

namespace Switchyard.Dashboard;

/// <summary>
/// The dashboard at <c>/ui</c>: Razor components rendered on the server (static rendering: every page is
/// plain HTML and forms, so it needs no open connection per viewer), a session cookie after signing in
/// with a key, antiforgery tokens on every form, and its assets served from the assembly.
/// </summary>
internal static class DashboardSetup
{
    public const string Scheme = "switchyard-ui";
    public const string ReadPolicy = "ui-read";
    public const string AdminPolicy = "ui-admin";

    public static void AddDashboard(this IServiceCollection services, SwitchyardOptions options)
    {
        services.AddRazorComponents();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardData>();
        services.AddSingleton<Sessions.IDashboardSessionStore, Storage.Sqlite.SqliteDashboardSessionStore>();
        services.AddSingleton(sp => new Sessions.DashboardSessions(sp.GetRequiredService<Sessions.IDashboardSessionStore>(), options.Auth, sp.GetRequiredService<TimeProvider>()));

        // Session cookies and antiforgery tokens stay valid across restarts: their keys live in the database.
        services.AddDataProtection().SetApplicationName("switchyard");
        services.AddOptions<KeyManagementOptions>().Configure<Storage.SqliteDatabase>((o, database) => o.XmlRepository = new Storage.Sqlite.SqliteXmlRepository(database));
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sy-ui-csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/ui";
        });
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "sy-ui";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/ui";
            o.LoginPath = "/ui/signin";
            o.AccessDeniedPath = "/ui/denied";
            // The cookie lasts the absolute lifetime; idling out is decided on the server, per request.
            o.ExpireTimeSpan = options.Auth.SessionLifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = async context =>
            {
                var services = context.HttpContext.RequestServices;
                var sessions = services.GetRequiredService<Sessions.DashboardSessions>();
                var aborted = context.HttpContext.RequestAborted;
                if (context.Principal is not { } principal
                    || !services.GetRequiredService<DashboardAccess>().StillValid(principal)
                    || !await sessions.StillOpenAsync(principal, aborted).ConfigureAwait(false))
                {
                    if (context.Principal is { } ended)
                    {
                        await sessions.EndAsync(ended, aborted).ConfigureAwait(false);
                    }

                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
                }
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(DashboardAccess.RoleClaim, DashboardAccess.Admin, DashboardAccess.Reader))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(DashboardAccess.RoleClaim, DashboardAccess.Admin));
        services.AddCascadingAuthenticationState();
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapGet("/ui/assets/{name}", (string name) => DashboardAssets.Serve(name)).AllowAnonymous();

        // Sign-in and sign-out are plain form posts (antiforgery-checked), answered with a redirect.
        app.MapPost("/ui/session", async (HttpContext http, DashboardAccess access, Sessions.DashboardSessions sessions, FailedAuthThrottle throttle, [Microsoft.AspNetCore.Mvc.FromForm] SignInForm form) =>
        {
            // Before the key is looked at: while the address is blocked even the right key is refused,
            // so guessing on tells the guesser nothing.
            if (throttle.IsBlocked(http, FailedAuthThrottle.Ui, out var retryAfter))
            {
                return Throttled(http, retryAfter, form.ReturnUrl);
            }

            var principal = access.SignIn(form.Key, out var refusal, out var wrongKey);
            if (principal is null)
            {
                if (wrongKey)
                {
                    throttle.RecordFailure(http, FailedAuthThrottle.Ui);
                }

                return Results.Redirect("/ui/signin?failed=" + Uri.EscapeDataString(refusal ?? "refused") + ReturnPart(form.ReturnUrl));
            }

            await sessions.StartAsync(principal, DashboardAccess.SubjectOf(principal), http.RequestAborted).ConfigureAwait(false);
            await http.SignInAsync(Scheme, principal).ConfigureAwait(false);
            return Results.Redirect(SafeReturn(form.ReturnUrl));
        }).AllowAnonymous().DisableAntiforgery().AddEndpointFilter(ValidateAntiforgery);

        app.MapPost("/ui/session/end", async (HttpContext http, Sessions.DashboardSessions sessions) =>
        {
            await sessions.EndAsync(http.User, http.RequestAborted).ConfigureAwait(false);
            await http.SignOutAsync(Scheme).ConfigureAwait(false);
            return Results.Redirect("/ui/signin");
        }).RequireAuthorization(ReadPolicy).DisableAntiforgery().AddEndpointFilter(ValidateAntiforgery);

        app.MapRazorComponents<App>().RequireAuthorization(ReadPolicy);

        // Statically rendered components never reach the router's NotFound for an unknown address: routing
        // answers 404 with no body. This catch-all (below every page in precedence) answers with a page
        // instead, the same signed in or not, so it tells a stranger nothing about what exists.
        app.MapMethods("/ui/{**rest}", [HttpMethods.Get, HttpMethods.Head], () => Page(builder =>
        {
            builder.OpenComponent<Shared.NotFoundContent>(0);
            builder.CloseComponent();
        }, StatusCodes.Status404NotFound)).AllowAnonymous();
    }

    /// <summary>Antiforgery for the two session endpoints, checked explicitly so a missing token is a 400 page, not an exception.</summary>
    private static async ValueTask<object?> ValidateAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context.HttpContext).ConfigureAwait(false))
        {
            return Results.Text("The form expired or did not come from this dashboard (antiforgery token missing or invalid). Go back, reload and try again.", "text/plain", statusCode: 400);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The sign-in page itself, answered 429 with <c>Retry-After</c> and the reason, instead of the usual
    /// redirect: a status a script or a proxy can see, and a form to try again once the wait is over.
    /// </summary>
    private static IResult Throttled(HttpContext http, TimeSpan retryAfter, string? returnUrl)
    {
        var seconds = FailedAuthThrottle.Seconds(retryAfter);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = string.Create(CultureInfo.InvariantCulture, $"Too many failed sign-ins from this address. Try again in {seconds} {(seconds == 1 ? "second" : "seconds")}.");
        RenderFragment page = builder =>
        {
            builder.OpenComponent<Shared.SignInForm>(0);
            builder.AddComponentParameter(1, nameof(Shared.SignInForm.ReturnUrl), returnUrl);
            builder.AddComponentParameter(2, nameof(Shared.SignInForm.Message), message);
            builder.CloseComponent();
        };
        return Page(page, StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The dashboard's document around <paramref name="page"/>, answered with <paramref name="status"/>.</summary>
    private static RazorComponentResult<App> Page(RenderFragment page, int status) =>
        new(new Dictionary<string, object?> { [nameof(App.Page)] = page }) { StatusCode = status };

    /// <summary>Only paths of the dashboard itself: never an absolute URL (open redirect).</summary>
    private static string SafeReturn(string? url) =>
        url is { Length: > 0 } && url.StartsWith("/ui", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) ? url : "/ui";

    private static string ReturnPart(string? url) => url is { Length: > 0 } ? "&ReturnUrl=" + Uri.EscapeDataString(SafeReturn(url)) : "";

    internal sealed class SignInForm
    {
        public string? Key { get; set; }

        public string? ReturnUrl { get; set; }
    }
}
