// Keep test output readable: @actions/core prints `::command::` lines to stdout
// when code under test logs. End-to-end tests capture the child's output instead.
process.env.GITHUB_ACTIONS = ''
