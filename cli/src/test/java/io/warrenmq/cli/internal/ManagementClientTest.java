package io.warrenmq.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ManagementClientTest {
  @Test
  void aUrlWithUserInformationGivesCredentialsAndARootWithoutThem() {
    ManagementClient.Endpoint endpoint =
        ManagementClient.Endpoint.parse("http://admin:s3cret@broker.example:15672/rabbit/");
    assertEquals("http://broker.example:15672/rabbit", endpoint.root().toString());
    assertEquals("admin", endpoint.username());
    assertEquals("s3cret", endpoint.password());
  }

  @Test
  void aPlainUrlHasNoCredentials() {
    ManagementClient.Endpoint endpoint = ManagementClient.Endpoint.parse("HTTP://127.0.0.1:15672");
    assertEquals("http://127.0.0.1:15672", endpoint.root().toString());
    assertNull(endpoint.username());
    assertNull(endpoint.password());
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageErrorWithoutItsPassword() {
    CliException e =
        assertThrows(
            CliException.class,
            () -> ManagementClient.Endpoint.parse("amqp://guest:topsecret@localhost:5672"));
    assertEquals(ExitCodes.USAGE, e.exitCode());
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    assertTrue(e.getMessage().contains("amqp://****@localhost:5672"), e.getMessage());
  }

  @Test
  void theDefaultVirtualHostIsEncodedAsPercent2F() {
    assertEquals("%2F", ManagementClient.segment("/"));
    assertEquals("a%20b%2Fc", ManagementClient.segment("a b/c"));
  }

  @Test
  void httpStatusesMapToSysexits() {
    assertEquals(ExitCodes.NO_PERMISSION, ManagementClient.exitCodeFor(401));
    assertEquals(ExitCodes.NO_PERMISSION, ManagementClient.exitCodeFor(403));
    assertEquals(ExitCodes.DATA_ERROR, ManagementClient.exitCodeFor(400));
    assertEquals(ExitCodes.DATA_ERROR, ManagementClient.exitCodeFor(404));
    assertEquals(ExitCodes.UNAVAILABLE, ManagementClient.exitCodeFor(503));
    assertEquals(ExitCodes.TEMP_FAILURE, ManagementClient.exitCodeFor(504));
    assertEquals(ExitCodes.SOFTWARE, ManagementClient.exitCodeFor(500));
  }

  @Test
  void theApisErrorAndReasonMakeOneLine() {
    assertEquals(
        "not_authorized: Login failed",
        ManagementClient.apiReason("{\"error\":\"not_authorized\",\"reason\":\"Login failed\"}"));
    assertEquals(
        "bad_request: tags_not_present",
        ManagementClient.apiReason("{\"error\":\"bad_request\",\"reason\":\"tags_not_present\"}"));
    assertEquals("<html> oops </html>", ManagementClient.apiReason("<html>\n oops\n</html>"));
    assertEquals("(empty body)", ManagementClient.apiReason(""));
  }
}
