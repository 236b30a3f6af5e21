const Core = require('clustercore');

// Seed 001, 全局对象读取 (SLICE): the seed gives the call only. Scenario of the seed: the global
// object is { key1: [0, 1, 2, 3, 4, 5] } (set by the master before it forks), then a worker runs
// the seed's call; its callback prints what it got.
class AppMain extends Core.AppMain {
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    if (processId === 'M') {
      Core.ClusterCore.setGlobalObject('key1', [0, 1, 2, 3, 4, 5], (err) => {
        if (err) {
          return console.error(err);
        }
        Core.ClusterCore.fork(1);
      });
    } else {
      // The seed's call:
      Core.ClusterCore.getGlobalObject(
        ['key1', Core.Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE],
        1, 2,
        (err, value) => {
          console.log(`[${processId}] slice(1, 2) of key1 -> err: ${err}, value: ${JSON.stringify(value)}`);
        }
      );
    }
  }
}

Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
