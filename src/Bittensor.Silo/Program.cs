using Orleans.Dashboard;
using Bittensor.Api;
using Bittensor.ServiceDefaults;
using Bittensor.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultAddress("http://127.0.0.1:5080");
builder.AddServiceDefaults();
builder.AddBittensorSilo();
builder.Services.AddBittensorApi();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<ChainHealthCheck>("chain");

var app = builder.Build();
app.MapOpenApi();
app.UseSwaggerUI(o => o.SwaggerEndpoint("/openapi/v1.json", "Bittensor.Orleans"));
app.MapBittensorApi();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
app.Run();

/// <summary>The host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
