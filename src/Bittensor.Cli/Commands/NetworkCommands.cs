using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>
/// btcli for this network, over its REST API (<c>--network URL</c>, default http://127.0.0.1:5080): wallets, subnets,
/// stake, weights, axons, chain info. Tables for people, <c>--json</c> for scripts; a failure prints the server's
/// code and sentence and exits 1.
/// </summary>
internal sealed class NetworkCommands(TextWriter stdout, HttpMessageHandler? handler)
{
    private static readonly string[] Common = ["network", "wallet-path", "password", "wallet", "hotkey"];

    public static readonly IReadOnlyDictionary<string, string[]> Verbs = new Dictionary<string, string[]>
    {
        ["wallet create"] = ["mnemonic", "hotkey-mnemonic"],
        ["wallet list"] = [],
        ["wallet balance"] = ["address"],
        ["wallet transfer"] = ["dest", "amount"],
        ["wallet faucet"] = ["amount"],
        ["subnets list"] = [],
        ["subnets show"] = ["netuid"],
        ["subnets create"] = [],
        ["subnets register"] = ["netuid"],
        ["subnets metagraph"] = ["netuid"],
        ["subnets hyperparameters"] = ["netuid"],
        ["subnets set"] = ["netuid", "name", "value"],
        ["stake add"] = ["netuid", "amount", "hotkey-address", "limit-price"],
        ["stake remove"] = ["netuid", "amount", "hotkey-address", "limit-price"],
        ["stake list"] = ["address"],
        ["weights set"] = ["netuid", "uids", "weights", "version-key"],
        ["axon serve"] = ["netuid", "ip", "port", "protocol", "version", "name"],
        ["chain info"] = [],
    };

    private CliArgs _args = null!;
    private NetworkClient _client = null!;
    private WalletStore _store = null!;
    private bool _json;

    public async Task<int> RunAsync(string verb, string[] rest)
    {
        _args = CliArgs.Parse(rest, verb, [.. Common, .. Verbs[verb]], ["json"]);
        _json = _args.Flag("json");
        string network = _args.Get("network") ?? Environment.GetEnvironmentVariable("BITTENSOR_NETWORK") ?? "http://127.0.0.1:5080";
        if (!Uri.TryCreate(network, UriKind.Absolute, out var baseUri)) throw new UsageException($"{verb}: '--network' must be a URL, got '{network}'");
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseUri;
        http.Timeout = TimeSpan.FromSeconds(60);
        _client = new NetworkClient(http);
        _store = _args.Get("wallet-path") is { } path ? new WalletStore(path) : WalletStore.Default();
        try
        {
            return verb switch
            {
                "wallet create" => WalletCreate(),
                "wallet list" => WalletList(),
                "wallet balance" => await Show(await _client.GetAsync($"/api/accounts/{AddressOrColdkey()}"), Balance),
                "wallet transfer" => await Submit(Coldkey(), "transfer", new JsonObject { ["dest"] = Ss58Option("dest"), ["amount"] = TaoOption("amount") }),
                "wallet faucet" => await Submit(_args.Get("hotkey") is null ? Coldkey() : Hotkey(), "faucet", new JsonObject { ["amount"] = TaoOption("amount") }),
                "subnets list" => await Show(await _client.GetAsync("/api/subnets"), SubnetTable),
                "subnets show" => await Show(await _client.GetAsync($"/api/subnets/{Netuid()}"), SubnetDetails),
                "subnets create" => await Submit(Coldkey(), "register_network", new JsonObject { ["hotkey"] = HotkeyAddress() }),
                "subnets register" => await Submit(Coldkey(), "burned_register", new JsonObject { ["netuid"] = Netuid(), ["hotkey"] = HotkeyAddress() }),
                "subnets metagraph" => await Show(await _client.GetAsync($"/api/subnets/{Netuid()}/metagraph"), Metagraph),
                "subnets hyperparameters" => await Show((await _client.GetAsync($"/api/subnets/{Netuid()}")).GetProperty("hyperparameters"), Hyperparameters),
                "subnets set" => await Submit(Coldkey(), "set_hyperparameter", new JsonObject { ["netuid"] = Netuid(), ["name"] = _args.Require("name"), ["value"] = _args.Require("value") }),
                "stake add" => await Submit(Coldkey(), "add_stake", StakeArgs()),
                "stake remove" => await Submit(Coldkey(), "remove_stake", StakeArgs()),
                "stake list" => await StakeList(),
                "weights set" => await Submit(Hotkey(), "set_weights", WeightArgs()),
                "axon serve" => await Submit(Hotkey(), "serve_axon", new JsonObject
                {
                    ["netuid"] = Netuid(), ["ip"] = _args.Require("ip"), ["port"] = _args.Int("port", 0, 1, 65535),
                    ["protocol"] = _args.Int("protocol", 4, 0, 255), ["version"] = _args.Int("version", 0, 0, int.MaxValue), ["name"] = _args.Get("name"),
                }),
                "chain info" => await Show(await _client.GetAsync("/api/chain"), ChainInfo),
                _ => throw new UsageException($"unknown verb '{verb}'"),
            };
        }
        catch (NetworkException e)
        {
            await stdout.FlushAsync();
            throw new CliFailure(e.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or System.Security.Cryptography.CryptographicException or InvalidOperationException or FormatException)
        {
            throw new CliFailure(e.Message);
        }
    }

    private int WalletCreate()
    {
        string wallet = _args.Get("wallet") ?? "default";
        string hotkey = _args.Get("hotkey") ?? "default";
        var result = new JsonObject { ["wallet"] = wallet };
        if (!File.Exists(Path.Combine(_store.Root, wallet, "coldkey")) || _args.Get("mnemonic") is not null)
        {
            var (address, mnemonic) = _store.CreateColdkey(wallet, Password(confirm: true), _args.Get("mnemonic"), overwrite: _args.Get("mnemonic") is not null);
            result["coldkey"] = address;
            if (_args.Get("mnemonic") is null) result["coldkeyMnemonic"] = mnemonic;
        }
        else result["coldkey"] = _store.ColdkeyAddress(wallet);
        if (!_store.Hotkeys(wallet).Any(h => h.Name == hotkey) || _args.Get("hotkey-mnemonic") is not null)
        {
            var (address, mnemonic) = _store.CreateHotkey(wallet, hotkey, _args.Get("hotkey-mnemonic"), overwrite: _args.Get("hotkey-mnemonic") is not null);
            result["hotkey"] = address;
            if (_args.Get("hotkey-mnemonic") is null) result["hotkeyMnemonic"] = mnemonic;
        }
        else result["hotkey"] = _store.Hotkeys(wallet).Single(h => h.Name == hotkey).Address;
        if (_json)
        {
            stdout.WriteLine(result.ToJsonString());
            return 0;
        }
        stdout.WriteLine($"wallet {wallet}");
        stdout.WriteLine($"  coldkey  {result["coldkey"]}");
        stdout.WriteLine($"  hotkey   {hotkey}  {result["hotkey"]}");
        if (result["coldkeyMnemonic"] is { } cm) stdout.WriteLine($"  back up the coldkey mnemonic: {cm}");
        if (result["hotkeyMnemonic"] is { } hm) stdout.WriteLine($"  back up the hotkey mnemonic:  {hm}");
        return 0;
    }

    private int WalletList()
    {
        var wallets = _store.List().Select(w => new JsonObject
        {
            ["wallet"] = w,
            ["coldkey"] = _store.ColdkeyAddress(w),
            ["hotkeys"] = new JsonArray(_store.Hotkeys(w).Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["address"] = h.Address }).ToArray()),
        }).ToList();
        if (_json)
        {
            stdout.WriteLine(new JsonArray([.. wallets]).ToJsonString());
            return 0;
        }
        if (wallets.Count == 0) stdout.WriteLine($"no wallets in {_store.Root} (create one with 'wallet create')");
        foreach (var w in wallets)
        {
            stdout.WriteLine($"{w["wallet"],-16} coldkey {w["coldkey"]}");
            foreach (var h in w["hotkeys"]!.AsArray()) stdout.WriteLine($"{"",-16} hotkey  {h!["address"]}  ({h["name"]})");
        }
        return 0;
    }

    private async Task<int> StakeList()
    {
        string coldkey = AddressOrColdkey();
        var account = await _client.GetAsync($"/api/accounts/{coldkey}");
        var rows = new List<(string Hotkey, ushort Netuid, ulong Alpha)>();
        var hotkeys = new HashSet<string>(account.GetProperty("hotkeys").EnumerateArray().Select(h => h.GetString()!));
        if (_args.Get("wallet") is { } wallet) foreach (var (_, address) in _store.Hotkeys(wallet)) hotkeys.Add(address);
        foreach (var hotkey in hotkeys)
        {
            var view = await _client.GetAsync($"/api/hotkeys/{hotkey}");
            foreach (var s in view.GetProperty("stakes").EnumerateArray())
                if (s.GetProperty("coldkey").GetString() == coldkey)
                    rows.Add((hotkey, s.GetProperty("netuid").GetUInt16(), s.GetProperty("alpha").GetUInt64()));
        }
        if (_json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(rows.Select(r => new { hotkey = r.Hotkey, netuid = r.Netuid, alpha = r.Alpha })));
            return 0;
        }
        stdout.WriteLine($"{"netuid",6}  {"hotkey",-48}  {"alpha",20}");
        foreach (var r in rows.OrderBy(r => r.Netuid)) stdout.WriteLine($"{r.Netuid,6}  {r.Hotkey,-48}  {TaoAmount.Format(r.Alpha),20}");
        return 0;
    }

    private async Task<int> Submit(KeyPair signer, string call, JsonObject args)
    {
        using (signer)
        {
            if (!_json) await stdout.WriteAsync($"submitting {call} as {signer.Address}… ");
            var response = await _client.SubmitAsync(signer, call, args);
            if (_json)
            {
                stdout.WriteLine(response.GetRawText());
                return 0;
            }
            var result = response.GetProperty("result");
            var parts = new List<string> { $"included in block {response.GetProperty("block")}" };
            if (result.TryGetProperty("netuid", out var n) && n.ValueKind == JsonValueKind.Number) parts.Add($"netuid {n}");
            if (result.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.Number) parts.Add($"uid {u}");
            if (result.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number) parts.Add($"amount {TaoAmount.Format(a.GetUInt64())}");
            stdout.WriteLine(string.Join(", ", parts));
            return 0;
        }
    }

    private async Task<int> Show(JsonElement value, Action<JsonElement> table)
    {
        if (_json) await stdout.WriteLineAsync(value.GetRawText());
        else table(value);
        return 0;
    }

    private void Balance(JsonElement a) =>
        stdout.WriteLine($"{a.GetProperty("address").GetString()}  {TaoAmount.Format(a.GetProperty("balance").GetUInt64())} TAO  (next nonce {a.GetProperty("nextNonce")})");

    private void ChainInfo(JsonElement c)
    {
        foreach (var p in c.EnumerateObject())
        {
            string value = p.Name is "totalIssuance" or "blockEmission" or "nextHalvingIssuance" or "networkLockCost" or "genesisReserve"
                ? $"{TaoAmount.Format(p.Value.GetUInt64())} TAO" : p.Value.ToString();
            stdout.WriteLine($"{p.Name,-22} {value}");
        }
    }

    private void SubnetTable(JsonElement list)
    {
        stdout.WriteLine($"{"netuid",6}  {"n",4}  {"price",12}  {"pool TAO",16}  {"tempo",6}  {"task",-10}  owner");
        foreach (var s in list.EnumerateArray())
            stdout.WriteLine($"{s.GetProperty("netuid"),6}  {s.GetProperty("n"),4}  {s.GetProperty("pool").GetProperty("price").GetDouble(),12:0.000000}  " +
                $"{TaoAmount.Format(s.GetProperty("pool").GetProperty("tao").GetUInt64()),16}  {s.GetProperty("hyperparameters").GetProperty("tempo"),6}  " +
                $"{s.GetProperty("hyperparameters").GetProperty("task").GetString(),-10}  {s.GetProperty("ownerColdkey").GetString()}");
    }

    private void SubnetDetails(JsonElement s)
    {
        foreach (var p in s.EnumerateObject().Where(p => p.Name != "hyperparameters"))
            stdout.WriteLine($"{p.Name,-18} {p.Value}");
    }

    private void Hyperparameters(JsonElement h)
    {
        foreach (var p in h.EnumerateObject()) stdout.WriteLine($"{p.Name,-28} {p.Value}");
    }

    private void Metagraph(JsonElement m)
    {
        stdout.WriteLine($"subnet {m.GetProperty("netuid")} at block {m.GetProperty("block")}");
        stdout.WriteLine($"{"uid",4} {"stake",14} {"incent",6} {"divs",6} {"cons",6} {"vtrust",6} {"vp",2} {"act",3} {"emission",14}  {"hotkey",-48} axon");
        foreach (var n in m.GetProperty("neurons").EnumerateArray())
        {
            string axon = n.GetProperty("axon") is { ValueKind: JsonValueKind.Object } a ? $"{a.GetProperty("ip").GetString()}:{a.GetProperty("port")} {a.GetProperty("name").GetString()}" : "";
            stdout.WriteLine($"{n.GetProperty("uid"),4} {TaoAmount.Format(n.GetProperty("stake").GetUInt64()),14} {n.GetProperty("incentive"),6} {n.GetProperty("dividends"),6} " +
                $"{n.GetProperty("consensus"),6} {n.GetProperty("validator_trust"),6} {(n.GetProperty("validator_permit").GetBoolean() ? "*" : ""),2} " +
                $"{(n.GetProperty("active").GetBoolean() ? "*" : ""),3} {TaoAmount.Format(n.GetProperty("emission").GetUInt64()),14}  {n.GetProperty("hotkey").GetString(),-48} {axon}");
        }
    }

    private JsonObject StakeArgs()
    {
        var args = new JsonObject
        {
            ["hotkey"] = _args.Get("hotkey-address") is { } address ? Ss58Required(address, "hotkey-address") : HotkeyAddress(),
            ["netuid"] = Netuid(),
            ["amount"] = TaoOption("amount"),
        };
        if (_args.Get("limit-price") is { } limit) args["limit_price"] = TaoAmount.Parse(limit, "limit-price");
        return args;
    }

    private JsonObject WeightArgs()
    {
        ushort[] uids = U16List("uids");
        ushort[] weights = U16List("weights");
        var args = new JsonObject
        {
            ["netuid"] = Netuid(),
            ["uids"] = new JsonArray(uids.Select(u => (JsonNode)u).ToArray()),
            ["weights"] = new JsonArray(weights.Select(w => (JsonNode)w).ToArray()),
        };
        if (_args.Get("version-key") is { } key) args["version_key"] = ulong.Parse(key, CultureInfo.InvariantCulture);
        return args;
    }

    private ushort[] U16List(string option)
    {
        try
        {
            return _args.Require(option).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => ushort.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"'--{option}' must be a comma-separated list of integers in 0..65535");
        }
    }

    private int Netuid() => _args.Int("netuid", -1, 0, 65535) is var n && n >= 0 ? n : throw new UsageException("missing required option '--netuid'");

    private ulong TaoOption(string option) => TaoAmount.Parse(_args.Require(option), option);

    private string Ss58Option(string option) => Ss58Required(_args.Require(option), option);

    private static string Ss58Required(string value, string option) =>
        Ss58.IsValid(value) ? value : throw new UsageException($"'--{option}' must be an SS58 address, got '{value}'");

    private string AddressOrColdkey() => _args.Get("address") is { } a ? Ss58Required(a, "address") : _store.ColdkeyAddress(WalletName());

    private string WalletName() => _args.Get("wallet") ?? "default";

    private KeyPair Coldkey() => _store.Coldkey(WalletName(), Password(confirm: false));

    private KeyPair Hotkey() => _store.Hotkey(WalletName(), _args.Get("hotkey") ?? "default");

    private string HotkeyAddress() => _store.Hotkeys(WalletName()).FirstOrDefault(h => h.Name == (_args.Get("hotkey") ?? "default")).Address
        ?? throw new CliFailure($"wallet '{WalletName()}' has no hotkey '{_args.Get("hotkey") ?? "default"}' (create it with 'wallet create --hotkey NAME')");

    /// <summary>--password, else $BITTENSOR_PASSWORD, else a prompt without echo.</summary>
    private string Password(bool confirm)
    {
        if (_args.Get("password") is { } p) return p;
        if (Environment.GetEnvironmentVariable("BITTENSOR_PASSWORD") is { Length: > 0 } env) return env;
        if (Console.IsInputRedirected) throw new UsageException("a coldkey password is needed: pass --password or set BITTENSOR_PASSWORD");
        string first = Prompt("coldkey password: ");
        if (confirm && Prompt("repeat password: ") != first) throw new UsageException("the passwords differ");
        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Count > 0) chars.RemoveAt(chars.Count - 1); }
            else chars.Add(key.KeyChar);
        }
        Console.Error.WriteLine();
        return new string([.. chars]);
    }
}

/// <summary>An operation failed (the network said no, or a key could not be opened): exit code 1 and one line.</summary>
public sealed class CliFailure(string message) : Exception(message);
