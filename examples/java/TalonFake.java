// A Java test wiring itself to `talon-fake serve` as docs/fake-server.md shows: an Application of its own (its own
// key), a fault scoped to one request by a header, its own request log, and a cassette named by a header behind
// `talon-fake proxy`. The JDK's java.net.http only: no SDK, no dependency.
// Run: TALON_URL=http://127.0.0.1:8080 TALON_KEY=fake-talon-api-key java examples/java/TalonFake.java
// With TALON_PROXY_URL (a `talon-fake proxy --upstream $TALON_URL --record DIR`) it also records one request there.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class TalonFake {
    static final HttpClient http = HttpClient.newHttpClient();
    static final String CAMPAIGNS = String.join("\n",
        "campaigns:",
        "  - name: Ten percent over 50",
        "    rules:",
        "      - title: 10% off carts of 50 or more",
        "        conditions: [{cartSubtotal: {op: \">=\", value: 50}}]",
        "        effects: [{setDiscount: {name: \"10% off\", percent: 10}}]",
        "");
    static final String SESSION =
        "{\"customerSession\": {\"profileId\": \"alice\", \"cartItems\": "
            + "[{\"name\": \"Shoe\", \"sku\": \"SH-1\", \"quantity\": 1, \"price\": 80}]}}";

    // An Application per test worker, made with the server's key: its own key, state, request log and faults.
    static HttpRequest.Builder newApplication(String base, String serverKey) {
        return HttpRequest.newBuilder(URI.create(base + "/_fake/applications"))
            .header("Authorization", "ApiKey-v1 " + serverKey)
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(CAMPAIGNS));
    }

    // Every Integration API request: the base URL (the server, or the proxy) and the Application's key.
    static HttpRequest.Builder updateSession(String base, String key, String id) {
        return HttpRequest.newBuilder(URI.create(base + "/v2/customer_sessions/" + id))
            .header("Authorization", "ApiKey-v1 " + key)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(SESSION));
    }

    static HttpRequest.Builder admin(String base, String key, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "ApiKey-v1 " + key);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // The first value of a JSON field (a string or a number): enough for these answers, no JSON library needed.
    static String field(String json, String name) {
        Matcher found = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|-?[0-9.]+)").matcher(json);
        check(found.find(), "no field " + name + " in " + json);
        return found.group(2) != null ? found.group(2) : found.group(1);
    }

    static int count(String json, String text) {
        return json.split(Pattern.quote(text), -1).length - 1;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    public static void main(String[] args) throws Exception {
        String base = System.getenv("TALON_URL");
        String serverKey = System.getenv("TALON_KEY");
        String proxy = System.getenv("TALON_PROXY_URL");

        HttpResponse<String> created = send(newApplication(base, serverKey));
        check(created.statusCode() == 201, "POST /_fake/applications: " + created.statusCode() + " " + created.body());
        String key = field(created.body(), "apiKey");
        String applicationId = field(created.body(), "applicationId");

        // The Application's campaigns answer; its records carry its own applicationId.
        HttpResponse<String> first = send(updateSession(base, key, "order-1")
            .header("X-Talon-Fake-Fault", "503; retry-after=2")); // this one request answers 503
        check(first.statusCode() == 503, "the header fault: " + first.statusCode());
        String retryAfter = first.headers().firstValue("Retry-After").orElse("");
        HttpResponse<String> second = send(updateSession(base, key, "order-1")
            .header("X-Talon-Fake-Fault", "reset; bogus=1")); // a bad fault header: a JSON 400 naming it
        check(second.statusCode() == 400 && second.body().contains("X-Talon-Fake-Fault"), "bad header: " + second.body());
        HttpResponse<String> third = send(updateSession(base, key, "order-1"));
        check(third.statusCode() == 200, "after the fault: " + third.statusCode() + " " + third.body());
        String discount = field(third.body(), "value");
        HttpResponse<String> session = send(admin(base, key, "/v2/customer_sessions/order-1"));
        String sessionApplication = field(session.body(), "applicationId");

        // Its own request log: the faulted request shows with its fault; the default Application saw none of it.
        String log = send(admin(base, key, "/_fake/requests")).body();
        String rootLog = send(admin(base, serverKey, "/_fake/requests")).body();
        String explain = field(log, "explain"); // each entry links to its explanation: follow it with the same key
        HttpResponse<String> explained = send(admin(base, key, explain));
        check(explained.statusCode() == 200, "explain: " + explained.body());

        String cassette = null;
        if (proxy != null) { // the same request behind talon-fake proxy, in this test's cassette
            HttpResponse<String> recorded = send(updateSession(proxy, key, "order-2")
                .header("X-Talon-Cassette", "checkout/test_coupon")); // per test: its cassette's name
            check(recorded.statusCode() == 200, "through the proxy: " + recorded.statusCode() + " " + recorded.body());
            cassette = "checkout/test_coupon";
        }

        HttpResponse<String> dropped = send(admin(base, serverKey, "/_fake/applications/" + applicationId).DELETE());
        HttpResponse<String> gone = send(updateSession(base, key, "order-3"));

        System.out.println("{\"ok\": true"
            + ", \"applicationId\": " + applicationId
            + ", \"sessionApplicationId\": " + sessionApplication
            + ", \"faultStatus\": " + first.statusCode()
            + ", \"retryAfter\": \"" + retryAfter + "\""
            + ", \"discount\": " + discount
            + ", \"logged\": " + count(log, "\"operationId\":\"updateCustomerSessionV2\"")
            + ", \"faults\": " + count(log, "\"fault\":\"status\"")
            + ", \"rootSawIt\": " + rootLog.contains("order-1")
            + ", \"explain\": \"" + explain + "\""
            + ", \"cassette\": " + (cassette == null ? "null" : "\"" + cassette + "\"")
            + ", \"deleted\": " + dropped.statusCode()
            + ", \"afterDelete\": " + gone.statusCode() + "}");
    }
}
