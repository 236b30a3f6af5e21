const Core = require('clustercore');

// Seed 001, 全局对象设置 (一个🌰): the seed gives the call only. Scenario of the seed: the global
// object is { key1: [] } (set by the master before it forks), then a worker runs the seed's call;
// its callback prints the detail { globalObject, commandResult }.
class AppMain extends Core.AppMain {
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    if (processId === 'M') {
      Core.ClusterCore.setGlobalObject('key1', [], (err) => {
        if (err) {
          return console.error(err);
        }
        Core.ClusterCore.fork(1);
      });
    } else {
      // The seed's call:
      Core.ClusterCore.setGlobalObject(
        ['key1', Core.Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH],
        'value1', 'value2', 'value3',
        (err, detail) => {
          console.log(`[${processId}] push -> err: ${err}, detail: ${JSON.stringify(detail)}`);
        }
      );
    }
  }
}

Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
