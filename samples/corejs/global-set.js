const Core = require('clustercore');

class AppMain extends Core.AppMain {
  /**
   * 进程初始化完成
   * @override
   */
  onProcessDidInit(processId, launchParams) {
    super.onProcessDidInit(processId, launchParams);
    // 主进程中创建键名为processDetail.M的field存储其进程pid
    if (processId === 'M') {
      // 首先创建键名processDetail指向的field
      Core.ClusterCore.setGlobalObject('processDetail', {}, (err) => {
        if (err) {
          return;
        }
        // 在创建首层field成功后写入主进程的pid并派生子进程
        Core.ClusterCore.setGlobalObject(['processDetail', 'M'], process.pid);
        Core.ClusterCore.fork(4);
      });
    }
    // 子进程中创建键名为processDetail.[进程偏移]的field存储其进程pid
    else {
      const processOffset = processId.split(':').pop();
      Core.ClusterCore.setGlobalObject(['processDetail', processOffset], process.pid);
    }

    // clustercore: seed 000 follows this example with a check "in onProcessDidInit()" using
    // getGlobalObject() after 1 s; that snippet is inserted here, unchanged.
    // 查看全局对象的设置结果
    setTimeout(() => {
      const fieldName = processId === 'M' ? 'M' : processId.split(':').pop();
      const keyPath = ['processDetail', fieldName];
      Core.ClusterCore.getGlobalObject(keyPath, (err, value) => {
        !err && console.log(`进程[${fieldName}]的PID -> ${value}`);
      });
    }, 1000);
  }
}

// 使用AppMain初始化ClusterCore并启动
Core.ClusterCore.init(AppMain);
Core.ClusterCore.start();
