using FunctionsHub.DevHost;

await DevHostApp.Create(args).RunAsync();
