using Bittensor.ServiceDefaults;
using Bittensor.Workers;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration["Worker:Role"] ??= "validator";
builder.AddServiceDefaults();
builder.AddBittensorClient();
builder.Services.AddBittensorWorkers();
builder.Build().Run();
