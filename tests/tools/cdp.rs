//! A minimal Chrome DevTools Protocol client over headless Chromium: enough to load a page,
//! collect console errors, exceptions and failed loads, evaluate an expression and take a
//! screenshot. (Chromium's command-line switches do not report console messages.)

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

pub struct Browser {
    child: Child,
    port: u16,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a page did while loading.
#[derive(Debug, Default)]
pub struct PageReport {
    /// Console errors, uncaught exceptions and failed resource loads.
    pub errors: Vec<String>,
    /// Every URL the page requested.
    pub requests: Vec<String>,
}

impl Browser {
    pub fn launch(profile: &Path) -> Browser {
        let child = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,1600",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("`chromium` is needed for this test ({e}); install the Debian package chromium, as .ci/run does"));
        // Chromium writes "DevTools listening on ws://127.0.0.1:PORT/..." to stderr.
        let mut child = child;
        let stderr = child.stderr.take().expect("stderr");
        let mut reader = BufReader::new(stderr);
        let started = Instant::now();
        let mut port = None;
        let mut line = String::new();
        while started.elapsed() < Duration::from_secs(30) {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line
                .trim()
                .strip_prefix("DevTools listening on ws://127.0.0.1:")
            {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
                break;
            }
        }
        // Keep draining stderr so Chromium never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = reader.read_to_end(&mut sink);
        });
        let port = port.expect("Chromium did not report its DevTools port");
        Browser { child, port }
    }

    /// Opens a new tab and returns a session on it.
    pub fn tab(&self) -> Tab {
        let body = http(self.port, "PUT", "/json/new?about:blank");
        let target: Value = serde_json::from_str(&body).expect("target JSON");
        let url = target["webSocketDebuggerUrl"]
            .as_str()
            .expect("ws url")
            .to_string();
        let (socket, _) = tungstenite::connect(url).expect("connect to the tab");
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        }
        let mut tab = Tab { socket, next_id: 0 };
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            tab.call(domain, json!({}));
        }
        tab
    }
}

/// A plain HTTP request to the DevTools endpoint.
fn http(port: u16, method: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("DevTools HTTP");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // Read the headers, then exactly Content-Length bytes (Chromium may keep the socket open).
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).expect("DevTools HTTP response") == 0 || line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("DevTools HTTP body");
    String::from_utf8_lossy(&body).into_owned()
}

pub struct Tab {
    socket: WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Tab {
    fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let message = json!({ "id": self.next_id, "method": method, "params": params });
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send");
        self.next_id
    }

    fn receive(&mut self) -> Value {
        loop {
            match self.socket.read().expect("read from DevTools") {
                Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON"),
                Message::Close(_) => panic!("DevTools closed the connection"),
                _ => continue,
            }
        }
    }

    /// Calls a method and returns its result (events in between are dropped).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message["result"].clone();
            }
        }
    }

    /// Navigates and waits for the load event, collecting what went wrong on the way.
    pub fn load(&mut self, url: &str) -> PageReport {
        let mut report = PageReport::default();
        self.send("Page.navigate", json!({ "url": url }));
        loop {
            let message = self.receive();
            match message["method"].as_str() {
                Some("Page.loadEventFired") => break,
                Some("Runtime.consoleAPICalled") if message["params"]["type"] == "error" => {
                    report
                        .errors
                        .push(format!("console.error: {}", message["params"]["args"]));
                }
                Some("Runtime.exceptionThrown") => {
                    report.errors.push(format!(
                        "exception: {}",
                        message["params"]["exceptionDetails"]["text"]
                    ));
                }
                Some("Log.entryAdded") if message["params"]["entry"]["level"] == "error" => {
                    report
                        .errors
                        .push(format!("log: {}", message["params"]["entry"]["text"]));
                }
                Some("Network.loadingFailed") => {
                    report
                        .errors
                        .push(format!("failed load: {}", message["params"]["errorText"]));
                }
                Some("Network.requestWillBeSent") => {
                    report.requests.push(
                        message["params"]["request"]["url"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                    );
                }
                _ => {}
            }
        }
        report
    }

    /// Evaluates a JavaScript expression in the page (from the test, not from the site).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }

    /// A PNG screenshot of the page.
    pub fn screenshot(&mut self) -> Vec<u8> {
        use base64_decode::decode;
        let result = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        decode(result["data"].as_str().expect("screenshot data"))
    }
}

/// Base64 decoding for the screenshot (no extra dependency for one call).
mod base64_decode {
    pub fn decode(text: &str) -> Vec<u8> {
        let value = |c: u8| -> Option<u32> {
            Some(match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            } as u32)
        };
        let mut out = Vec::with_capacity(text.len() * 3 / 4);
        let mut buffer = 0u32;
        let mut bits = 0;
        for c in text.bytes().filter_map(value) {
            buffer = (buffer << 6) | c;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
            }
        }
        out
    }
}
