fn main() {
    let code = match dangwu::run(std::env::args()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            1
        }
    };
    std::process::exit(code);
}
