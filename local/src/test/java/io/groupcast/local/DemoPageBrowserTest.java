package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page's flow in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}): connect as a
 * user, join a group, send a notify from the page and from a server, see the frames arrive.
 */
class DemoPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with("--parameter", "JwtSecret=" + DevDefaults.JWT_SECRET);

    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the browser test: install Debian's chromium and "
                    + "chromium-driver (.ci/run does), so that " + CHROMIUM + " and " + CHROMEDRIVER + " exist");
        }
        Assumptions.assumeTrue(
                present,
                "browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                        + " is missing (apt-get install chromium chromium-driver to run it)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("groupcast-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldConnectJoinAndReceive_fromThePageAndFromAServer() throws Exception {
        browser.get(GATEWAY.gateway().httpUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        type("user", "kevin-browser");
        click("connect");
        wait.until(b -> text("status").equals("connected as kevin-browser"));

        type("group", "room-browser");
        click("join");
        wait.until(b -> text("log").contains("joined room-browser"));
        assertThat(text("groups")).isEqualTo("room-browser");

        type("publish-data", "{\"text\":\"from a client\"}");
        click("publish");
        wait.until(b -> text("log").contains("sent to room-browser"));
        assertThat(text("log")).contains("room-browser from kevin-browser: {\"text\":\"from a client\"}");

        new Select(browser.findElement(By.id("notify-kind"))).selectByValue("group");
        type("notify-target", "room-browser");
        type("notify-message", "{\"text\":\"from the page\"}");
        click("notify-send");
        wait.until(b -> text("notify-result").startsWith("200"));
        assertThat(text("notify-result")).contains("\"delivered\":1");
        wait.until(b -> text("log").contains("{\"text\":\"from the page\"}"));

        HttpResponse<String> fromServer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(GATEWAY.gateway().httpUrl() + "/notify"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"user\":\"kevin-browser\",\"message\":\"psst\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(fromServer.body()).contains("\"delivered\":1");
        wait.until(b -> text("log").contains("\"psst\""));

        String id = GATEWAY.members("user:kevin-browser", 1).get(0);
        GATEWAY.call("DELETE", "/connections/" + GatewayExtension.encoded(id), null);
        wait.until(b -> text("log").contains("reconnected as kevin-browser, in groups: room-browser"));
        GATEWAY.members("room-browser", 1);

        click("disconnect");
        wait.until(b -> text("status").equals("stopped"));
    }

    private static void type(String id, String value) {
        WebElement element = browser.findElement(By.id(id));
        element.clear();
        element.sendKeys(value);
    }

    private static void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
