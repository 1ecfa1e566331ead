package io.ftpipe.it;

import io.ftpipe.broker.configuration.ClientAccount;
import io.ftpipe.broker.configuration.DeviceAccount;
import io.ftpipe.broker.configuration.ExtensionConfig;
import io.ftpipe.broker.configuration.Role;
import io.ftpipe.broker.configuration.SecurityConfig;
import io.ftpipe.broker.embedded.FreePort;
import io.ftpipe.broker.security.PasswordHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by Selenium through Debian's
 * chromedriver) during a real job with security on: a wrong password is refused, the admin logs
 * in, sees the devices join, submits a job from the page, sees the plan and the chart advance, sees
 * a SIGKILLed device as a failure and then the recovery, and stops the job. The screenshot it takes
 * is {@code it-tests/target/dashboard.png} (docs/dashboard.png is one of these).
 */
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> DEVICES = List.of("web-0", "web-1", "web-2");
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    static Cluster cluster;
    static int httpPort;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "chromium is not installed: apt-get install chromium");
        assertTrue(Files.isExecutable(CHROMEDRIVER), "chromedriver is not installed: apt-get install chromium-driver");
        List<DeviceAccount> devices = new ArrayList<>();
        for (String id : DEVICES) {
            devices.add(new DeviceAccount(id, hash("pw-" + id)));
        }
        SecurityConfig security = new SecurityConfig(true, devices, List.of(
                new ClientAccount("ops", Role.ADMIN, hash("ops-pw")),
                new ClientAccount("grafana", Role.MONITOR, hash("mon-pw"))));
        httpPort = FreePort.find();
        Path brokerWork = work.resolve("broker");
        cluster = new Cluster(work, b -> b.extensionConfig(ExtensionConfig.defaults(brokerWork)
                .withDataDir(brokerWork.resolve("central")).withCoap(0, "127.0.0.1").withHttp(httpPort, "127.0.0.1")
                .withSecurity(security)));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1050", "--user-data-dir=" + Files.createDirectories(
                        work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000, new SecureRandom());
    }

    /**
     * Polls until a condition holds. The page redraws its tables and pipeline as events stream in,
     * so an element found in one poll may be gone by the next read: that poll simply tries again.
     */
    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static void logIn(String user, String password) {
        WebElement name = browser.findElement(By.id("username"));
        name.clear();
        name.sendKeys(user);
        WebElement secret = browser.findElement(By.id("password"));
        secret.clear();
        secret.sendKeys(password);
        browser.findElement(By.id("login-button")).click();
    }

    private static List<WebElement> events(String kind) {
        return browser.findElements(By.cssSelector("#events li[data-kind='" + kind + "']"));
    }

    private static long chartPoints() {
        return Long.parseLong(browser.findElement(By.id("chart")).getAttribute("data-last-done"));
    }

    @Test
    void anAdminWatchesAJobThroughAFailureAndARecoveryAndStopsIt() throws Exception {
        browser.get("http://127.0.0.1:" + httpPort + "/");
        waiting().until(d -> d.findElement(By.id("login")).isDisplayed());
        logIn("ops", "wrong");
        waiting().until(d -> d.findElement(By.id("login-error")).getText().contains("wrong password"));
        logIn("ops", "ops-pw");
        waiting().until(d -> d.findElement(By.id("user")).getText().equals("ops (admin)"));

        cluster.startDevices(DEVICES, id -> Map.of("--broker-url", cluster.broker.serverUri(), "--username", id,
                "--password", "pw-" + id));
        waiting().until(d -> d.findElements(By.cssSelector("#devices tr[data-alive='true']")).size() == 3);
        waiting().until(d -> events("join").size() >= 3);

        // Submitted from the page's form, as an admin would.
        new Select(browser.findElement(By.id("f-model"))).selectByVisibleText("mlp");
        setValue("f-devices", "3");
        setValue("f-synthetic", "200000");
        // A plan that stays put: an adaptive re-plan could take the victim out of the pipeline first.
        new Select(browser.findElement(By.id("f-planner"))).selectByVisibleText("speed-blind");
        browser.findElement(By.cssSelector("#submit button")).click();
        waiting().until(d -> d.findElement(By.id("submit-result")).getText().startsWith("submitted"));

        waiting().until(d -> d.findElements(By.cssSelector("#pipeline g.stage")).size() >= 2);
        waiting().until(d -> chartPoints() > 0);
        long before = chartPoints();
        waiting().until(d -> chartPoints() > before);

        // A device of the plan's middle or last stage dies.
        List<WebElement> stages = browser.findElements(By.cssSelector("#pipeline g.stage"));
        String victim = stages.get(stages.size() - 1).getAttribute("data-device");
        cluster.kill(victim);
        waiting().withMessage(() -> "a failure of " + victim + " among the events: " + browser.findElements(
                By.cssSelector("#events li")).stream().map(WebElement::getText).toList())
                .until(d -> events("failure").stream().anyMatch(e -> e.getText().contains(victim)));
        waiting().until(d -> events("recovery").stream().anyMatch(e -> e.getText().contains(victim)));
        waiting().until(d -> events("offline").stream().anyMatch(e -> e.getText().contains(victim)));
        List<String> kinds = browser.findElements(By.cssSelector("#events li")).stream()
                .map(e -> e.getAttribute("data-kind")).toList();
        assertTrue(kinds.indexOf("failure") < kinds.indexOf("recovery"), "the failure, then the recovery: " + kinds);
        waiting().until(d -> d.findElement(By.cssSelector("#devices tr[data-device='" + victim + "']"))
                .getAttribute("data-alive").equals("false"));
        waiting().until(d -> d.findElements(By.cssSelector("#pipeline g.stage")).stream()
                .noneMatch(s -> victim.equals(s.getAttribute("data-device"))));
        long afterRecovery = chartPoints();
        waiting().until(d -> chartPoints() > afterRecovery);
        // Kept after the test (the work folder is not): the module's target/, surefire's tmpdir.
        screenshot(Path.of(System.getProperty("java.io.tmpdir"), "dashboard.png"));

        WebElement job = browser.findElement(By.cssSelector("#jobs tr[data-state='running']"));
        job.findElement(By.tagName("button")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#jobs tr[data-state='stopped']")).isEmpty());
        assertTrue(events("job").stream().anyMatch(e -> e.getText().contains("stopped")));
    }

    @Test
    void aMonitorWatchesButHasNoSubmitFormAndItsChangesAreRefused() {
        browser.manage().deleteAllCookies();
        browser.get("http://127.0.0.1:" + httpPort + "/");
        waiting().until(d -> d.findElement(By.id("login")).isDisplayed());
        logIn("grafana", "mon-pw");
        waiting().until(d -> d.findElement(By.id("user")).getText().equals("grafana (monitor)"));
        assertTrue(!browser.findElement(By.id("submit")).isDisplayed(), "no submit form for a monitor");
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/jobs', {method: 'POST', headers: {'X-Requested-By': 't'}, body: '{}'})"
                        + ".then(r => done(r.status));");
        assertEquals(403L, status);
        browser.findElement(By.id("logout")).click();
        waiting().until(d -> d.findElement(By.id("login")).isDisplayed());
    }

    private static void setValue(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static void screenshot(Path to) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
